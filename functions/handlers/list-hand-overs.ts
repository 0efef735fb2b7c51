import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger } from '#adapters/powertools.ts';
import { createDeskRepository } from '#adapters/repository-wiring.ts';
import { HandOverListResponse, ListHandOversQuery } from '#application/api/console-agent.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { parseQuery } from '#application/console-desk.ts';
import { HttpError, type HttpResult, json, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { HandOverStore } from '#core/hand-over-desk.ts';

export const apiDoc: ApiDoc = {
  summary: 'The hand-over inbox: hand-overs of one status (default open), oldest first, by reason',
  description:
    'Read from an index partition per status (never a scan), page by page: pass `next` as `cursor`. Each shows its ' +
    'reason, age, journey and who took or closed it.',
  query: ListHandOversQuery,
  responses: { 200: { description: 'One page of the inbox', schema: HandOverListResponse } },
};

/** A page's `next`: the inbox index position it stopped at, as base64url JSON. */
function isCursor(cursor: string): boolean {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return position !== null && typeof position === 'object' && !Array.isArray(position);
  } catch {
    return false;
  }
}

export interface ListHandOversDeps {
  handOvers: Pick<HandOverStore, 'listHandOvers'>;
}

export function makeHandler(deps: ListHandOversDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const query = parseQuery(event, ListHandOversQuery);
          if (query.cursor && !isCursor(query.cursor)) {
            throw new HttpError(400, 'invalid query parameters', [
              { path: 'cursor', message: 'the next value of a previous page' },
            ]);
          }
          const page = await deps.handOvers.listHandOvers({
            status: query.status,
            ...(query.reason ? { reason: query.reason } : {}),
            limit: query.limit,
            ...(query.cursor ? { next: query.cursor } : {}),
          });
          return json(200, page, { 'cache-control': 'no-store' });
        },
        (error) => logger.error('list-hand-overs failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => makeHandler({ handOvers: createDeskRepository() }));
