import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { secretsManagerUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { htmlPage, queryParameter } from '#application/html-page.ts';
import { HttpError, type HttpResult, header, MAX_BODY_BYTES, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { optOutRecord, UNSUBSCRIBE_LINK_SOURCE } from '#core/opt-out.ts';
import type { Clock, ConsentRepository, CustomerRepository, TimelineRepository } from '#core/ports.ts';
import { invalidLinkPage, pageLanguageFor, unsubscribedPage } from '#core/unsubscribe-pages.ts';
import {
  type UnsubscribeKeySource,
  UnsubscribeQuerySchema,
  verifyUnsubscribeToken,
} from '#core/unsubscribe-token.ts';

export const OneClickBodySchema = z.object({
  'List-Unsubscribe': z.literal('One-Click'),
});

// Public: the signed token is the authorization (a mail client's one-click POST carries no credentials).
export const apiDoc: ApiDoc = {
  summary: 'Unsubscribe with one click (RFC 8058): record the opt-out for the token’s channel and purpose',
  description:
    'The POST a mail client sends for the `List-Unsubscribe` header, and the confirmation page’s button. Records ' +
    '`granted: false` for the channel and purpose in the token (source `unsubscribe-link`) at once, so the next ' +
    'decision drops that channel, and notes it in the conversation. A repeat changes nothing.',
  query: UnsubscribeQuerySchema,
  body: OneClickBodySchema,
  bodyMediaType: 'application/x-www-form-urlencoded',
  responses: {
    200: { description: 'Page: unsubscribed', html: true },
    400: {
      description:
        'Page: the link is not valid (a person may have pressed the page’s button). A body without ' +
        '`List-Unsubscribe=One-Click`, which only a program sends, gets the JSON error naming it.',
      html: true,
      alsoError: true,
    },
    410: { description: 'Page: the link has expired; points to the portal', html: true },
  },
};

export interface UnsubscribeDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  consents: ConsentRepository;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  key: UnsubscribeKeySource;
  clock: Clock;
  portalUrl: string;
}

/**
 * Returns whether the body is RFC 8058's one-click request (`List-Unsubscribe=One-Click`), sent as
 * `application/x-www-form-urlencoded` or `multipart/form-data`; the fetch API parses both.
 */
async function isOneClick(event: APIGatewayProxyEventV2): Promise<boolean> {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.byteLength > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
  const contentType = header(event, 'content-type') ?? 'application/x-www-form-urlencoded';
  try {
    const form = await new Request('https://unsubscribe.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
    return form.get('List-Unsubscribe') === 'One-Click';
  } catch {
    return false;
  }
}

/**
 * `POST /unsubscribe?token=…` with `List-Unsubscribe=One-Click`: a mail client's one-click
 * unsubscribe (RFC 8058) or the button on the confirmation page. Records the opt-out for the token's
 * channel and purpose at once (the next decision drops that channel) and notes it in the timeline.
 * Public: the signed token is the authorization.
 */
export function makeHandler(deps: UnsubscribeDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const now = deps.clock.now();
          const verified = verifyUnsubscribeToken(
            queryParameter(event, 'token') ?? '',
            [await deps.key()],
            now,
          );
          // The language of the message the link came from; a token without one: the browser's.
          const language = pageLanguageFor(
            verified.ok ? verified.claims.locale : verified.locale,
            header(event, 'accept-language'),
          );
          if (!verified.ok) {
            logger.info('unsubscribe with an invalid link', { problem: verified.problem });
            metrics.addMetric('UnsubscribeLinksRejected', 'Count', 1);
            return htmlPage(
              verified.problem === 'expired' ? 410 : 400,
              invalidLinkPage(language, verified.problem, deps.portalUrl),
            );
          }
          if (!(await isOneClick(event))) {
            throw new HttpError(400, 'invalid request', [
              { path: 'List-Unsubscribe', message: 'expected List-Unsubscribe=One-Click (RFC 8058)' },
            ]);
          }
          const { customerId, channel, purpose } = verified.claims;
          const customer = await deps.customers.getCustomer(customerId);
          // An erased customer gets nothing anyway: confirm without recreating a profile.
          const record = customer
            ? optOutRecord(customer, { channel, purpose, at: now, source: UNSUBSCRIBE_LINK_SOURCE })
            : null;
          // The repository appends it guarded against a concurrent profile update.
          const recorded = record ? await deps.consents.recordConsents(customerId, [record], now) : false;
          if (recorded) {
            await deps.timeline.appendTimeline({
              customerId,
              at: now.toISOString(),
              kind: 'event',
              channel,
              summary: `opted out of ${channel} for ${purpose} (${UNSUBSCRIBE_LINK_SOURCE})`,
            });
            metrics.addMetric('Unsubscribes', 'Count', 1);
          }
          logger.info('unsubscribe', {
            channel,
            purpose,
            recorded,
            known: customer !== undefined,
          });
          return htmlPage(200, unsubscribedPage(language, verified.claims, deps.portalUrl));
        },
        (error) => logger.error('unsubscribe failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    PORTAL_URL: z._default(z.url(), 'https://portal.example.com'),
    UNSUBSCRIBE_KEY_SECRET_ARN: z.string().check(z.minLength(1)),
  });
  const repository = createRepository();
  return makeHandler({
    customers: repository,
    consents: repository,
    timeline: repository,
    key: secretsManagerUnsubscribeKey(env.UNSUBSCRIBE_KEY_SECRET_ARN),
    clock: systemClock,
    portalUrl: env.PORTAL_URL,
  });
});
