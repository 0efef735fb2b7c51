/**
 * `GET /s/{code}`: a short link from an SMS. A stored, unexpired code answers 302 to its stored target
 * (the only URLs this route sends anyone to: no open redirect); a malformed or unknown code a plain 404
 * page; an expired one a 410 page in the language of the message it came in. Public: the code, 72 bits
 * nobody can guess, is the authorization, as the token is for an unsubscribe link.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DynamoEvents } from '#adapters/dynamo/events.ts';
import { DynamoShortLinkVisits } from '#adapters/dynamo/short-link-visits.ts';
import { DynamoTimeline } from '#adapters/dynamo/timeline.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createResults } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { type FollowShortLinkDeps, followShortLink } from '#application/follow-short-link.ts';
import { htmlPage } from '#application/html-page.ts';
import { type HttpResult, header } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { expiredShortLinkPage, unknownShortLinkPage } from '#core/short-link-pages.ts';

export const ShortLinkParams = z.object({
  code: z.string().check(z.describe('The 12 characters after /s/ in the link')),
});

export const apiDoc: ApiDoc = {
  summary: 'A short link from an SMS: redirect to its stored target',
  description:
    'Looks the code up and answers 302 to the target stored for it when the message was sent (pay, portal, ' +
    'appointment, unsubscribe, …); never to any other address. The first visit of each link of a message is ' +
    'recorded as an `sms.clicked` behaviour event and a `clicked` entry in the conversation; the message ' +
    'counts one `clicked` in the journey’s results (a visit of its unsubscribe link none).',
  params: ShortLinkParams,
  responses: {
    302: { description: 'Redirect to the stored target (`Location`)' },
    404: { description: 'Page: no such link (malformed or unknown code)', html: true },
    410: { description: 'Page: the link has expired, in the language of its message', html: true },
  },
};

/** A redirect no cache keeps (the next click is counted by the route), and no referrer passed on. */
function redirectTo(target: string): HttpResult {
  return {
    statusCode: 302,
    headers: { location: target, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    body: '',
  };
}

export function makeHandler(deps: FollowShortLinkDeps) {
  return withObservability(async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> => {
    const answer = await followShortLink(deps, event.pathParameters?.code ?? '');
    metrics.addMetric(`ShortLinks${answer.kind === 'redirect' ? 'Followed' : 'Refused'}`, 'Count', 1);
    switch (answer.kind) {
      case 'redirect':
        return redirectTo(answer.link.target);
      case 'expired':
        logger.info('short link expired', { link: answer.link.link, journeyId: answer.link.journeyId });
        return htmlPage(410, expiredShortLinkPage(answer.link.locale));
      case 'unknown':
        return htmlPage(404, unknownShortLinkPage(header(event, 'accept-language')));
    }
  });
}

export const handler = wiredOnFirstUse(() => {
  const { TABLE_NAME } = readEnv(tableEnv);
  const doc = dynamoDbDocumentClient();
  return makeHandler({
    shortLinks: new DynamoShortLinkVisits(doc, TABLE_NAME),
    customers: new DynamoEvents(doc, TABLE_NAME),
    timeline: new DynamoTimeline(doc, TABLE_NAME),
    clock: systemClock,
    results: createResults({ pseudonymKey: pseudonymKeyFromEnv() }),
  });
});
