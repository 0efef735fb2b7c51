import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { secretsManagerUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { htmlPage, queryParameter } from '#application/html-page.ts';
import { type HttpResult, header } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { Clock } from '#core/ports.ts';
import { confirmationPage, invalidLinkPage, pageLanguageFor } from '#core/unsubscribe-pages.ts';
import {
  type UnsubscribeKeySource,
  UnsubscribeQuerySchema,
  verifyUnsubscribeToken,
} from '#core/unsubscribe-token.ts';

// Public: the signed token is the authorization.
export const apiDoc: ApiDoc = {
  summary: 'The page behind an unsubscribe link: confirm to stop this channel for this purpose',
  description:
    'Checks the token (customer, channel, purpose, expiry; HMAC-signed) and shows a confirmation page with one ' +
    'button, which posts `List-Unsubscribe=One-Click` back to the same address. Never unsubscribes by itself: ' +
    'mail scanners and link previews open links too (RFC 8058). In the language of the message the link came from ' +
    '(Dutch or English); a link without one follows `Accept-Language`.',
  query: UnsubscribeQuerySchema,
  responses: {
    200: { description: 'Confirmation page', html: true },
    400: { description: 'Page: the link is incomplete or tampered with', html: true },
    410: { description: 'Page: the link has expired; points to the portal', html: true },
  },
};

export interface ShowUnsubscribePageDeps {
  key: UnsubscribeKeySource;
  clock: Clock;
  portalUrl: string;
}

/**
 * `GET /unsubscribe?token=…`: the page behind the link in a message. It checks the token and asks
 * for confirmation; it never unsubscribes by itself, because mail scanners and link previews open
 * links too (RFC 8058). Public: the signed token is the authorization.
 */
export function makeHandler(deps: ShowUnsubscribePageDeps) {
  return withObservability(async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> => {
    const verified = verifyUnsubscribeToken(
      queryParameter(event, 'token') ?? '',
      [await deps.key()],
      deps.clock.now(),
    );
    // The language of the message the link came from; a token without one: the browser's.
    const language = pageLanguageFor(
      verified.ok ? verified.claims.locale : verified.locale,
      header(event, 'accept-language'),
    );
    if (!verified.ok) {
      logger.info('unsubscribe page for an invalid link', { problem: verified.problem });
      metrics.addMetric('UnsubscribeLinksRejected', 'Count', 1);
      return htmlPage(
        verified.problem === 'expired' ? 410 : 400,
        invalidLinkPage(language, verified.problem, deps.portalUrl),
      );
    }
    return htmlPage(200, confirmationPage(language, verified.claims, deps.portalUrl));
  });
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    PORTAL_URL: z._default(z.url(), 'https://portal.example.com'),
    UNSUBSCRIBE_KEY_SECRET_ARN: z.string().check(z.minLength(1)),
  });
  return makeHandler({
    key: secretsManagerUnsubscribeKey(env.UNSUBSCRIBE_KEY_SECRET_ARN),
    clock: systemClock,
    portalUrl: env.PORTAL_URL,
  });
});
