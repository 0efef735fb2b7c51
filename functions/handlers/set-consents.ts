import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { assertMomentsWithin, consentMomentRules } from '#application/moment-window.ts';
import { type Consent, ConsentSchema } from '#core/customer.ts';
import type { Clock, CustomerRepository, TimelineRepository } from '#core/ports.ts';

export const SetConsentsBody = z.object({
  /** Each replaces the stored consent for its channel and purpose; others stay as they are. */
  consents: z.array(ConsentSchema).check(z.minLength(1), z.maxLength(20)),
});

export const ConsentsResponse = z.object({ customerId: z.string(), consents: z.array(ConsentSchema) });

export const apiDoc: ApiDoc = {
  summary: 'Record consents (grants and opt-outs) per channel and purpose',
  description:
    'Each consent replaces the stored one for the same channel and purpose; the others stay. ' +
    'Takes effect for every decision made after this call, and each change is added to the conversation.',
  params: CustomerIdParams,
  body: SetConsentsBody,
  responses: {
    200: { description: 'Every consent now stored', schema: ConsentsResponse },
    404: { description: 'No such customer' },
  },
};

export interface SetConsentsDeps {
  customers: Pick<CustomerRepository, 'updateCustomer'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  clock: Clock;
}

/**
 * Returns the stored consents with each of `changes` replacing the one for its channel and purpose,
 * unless the stored one is newer: as in every decision, the latest record wins, so a grant dated
 * before an SMS STOP or an email complaint does not undo that opt-out.
 */
export function mergeConsents(stored: readonly Consent[], changes: readonly Consent[]): Consent[] {
  const keyOf = (c: Consent) => `${c.channel}/${c.purpose}`;
  const merged = new Map<string, Consent>();
  // Stored records may hold a history per key (provider feedback appends): the latest stands for it.
  for (const consent of [...stored, ...changes]) {
    const current = merged.get(keyOf(consent));
    if (!current || Date.parse(consent.at) >= Date.parse(current.at)) merged.set(keyOf(consent), consent);
  }
  return [...merged.values()];
}

export function makeHandler(deps: SetConsentsDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'agent');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          const body = parseBody(event, SetConsentsBody);
          const now = deps.clock.now();
          assertMomentsWithin(consentMomentRules(body.consents, 'consents.', now));
          // Guarded: an opt-out recorded meanwhile (an SMS STOP) is merged in, not overwritten.
          const { profile } = await deps.customers.updateCustomer(
            customerId,
            (stored) =>
              stored && { ...stored, consents: mergeConsents(stored.consents ?? [], body.consents) },
            now,
          );
          if (!profile) throw new HttpError(404, 'customer not found');
          const consents = profile.consents ?? [];
          for (const consent of body.consents) {
            await deps.timeline.appendTimeline({
              customerId,
              at: consent.at,
              kind: 'event',
              channel: consent.channel,
              summary: `consent ${consent.granted ? 'granted' : 'withdrawn'}: ${consent.channel}/${consent.purpose} (${consent.source})`,
            });
            metrics.addMetric(consent.granted ? 'ConsentsGranted' : 'ConsentsWithdrawn', 'Count', 1);
          }
          logger.info('consents recorded', { changes: body.consents.length });
          return json(200, { customerId, consents });
        },
        (error) => logger.error('set-consents failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({ customers: repository, timeline: repository, clock: systemClock });
});
