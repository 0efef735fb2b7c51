import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import { type Preferences, PreferencesSchema } from '#core/customer.ts';
import type { Clock, CustomerRepository, TimelineRepository } from '#core/ports.ts';

/** Unknown keys are refused, so a typo (`chanel`) is a 400 rather than a silently ignored wish. */
export const SetPreferencesBody = z.strictObject(PreferencesSchema.shape);

export const apiDoc: ApiDoc = {
  summary: 'Replace the customer’s channel preferences (overall and per purpose)',
  params: CustomerIdParams,
  body: SetPreferencesBody,
  responses: {
    200: {
      description: 'The stored preferences',
      schema: z.object({ customerId: z.string(), preferences: PreferencesSchema }),
    },
    404: { description: 'No such customer' },
  },
};

export interface SetPreferencesDeps {
  customers: Pick<CustomerRepository, 'updateCustomer'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  clock: Clock;
}

/** The preferences in words for the conversation (channels and purposes only: no personal data). */
function preferencesInWords(preferences: Preferences): string[] {
  const byPurpose = Object.entries(preferences.byPurpose ?? {}).map(
    ([purpose, channel]) => `${purpose}: ${channel}`,
  );
  return [`channel: ${preferences.channel ?? 'none chosen'}`, ...byPurpose];
}

export function makeHandler(deps: SetPreferencesDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { actor } = requireRole(event, 'agent');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          const preferences = parseBody(event, SetPreferencesBody);
          // Guarded: an opt-out recorded meanwhile (an SMS STOP) is kept, not overwritten.
          const { profile } = await deps.customers.updateCustomer(
            customerId,
            (stored) => stored && { ...stored, preferences },
            deps.clock.now(),
          );
          if (!profile) throw new HttpError(404, 'customer not found');
          const now = deps.clock.now();
          await deps.timeline.appendTimeline(
            actionEntry({
              id: actionId('preferences', now, actor),
              customerId,
              at: now,
              actor,
              summary: 'channel preferences changed on the customer’s behalf',
              reasons: preferencesInWords(preferences),
            }),
          );
          logger.info('preferences recorded');
          metrics.addMetric('PreferencesRecorded', 'Count', 1);
          return json(200, { customerId, preferences });
        },
        (error) => logger.error('set-preferences failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({ customers: repository, timeline: repository, clock: systemClock });
});
