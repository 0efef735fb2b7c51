/**
 * `GET /customers/{customerId}/conversation?limit=&cursor=`: the customer's one conversation,
 * newest first — every message (channel, template, tone, locale, send time, provider message id),
 * delivery event, reply and decision with its reasons. Message bodies are included while within
 * the stage's retention; the metadata stays.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { type ApiDoc, TimelineEntrySchema } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, issuesOf, json, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { ConversationReader, CustomerRepository, TimelineEntry } from '#core/ports.ts';

const PathSchema = z.object({ customerId: z.string().check(z.minLength(1), z.maxLength(128)) });
const QuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const ConversationResponseSchema = z.object({
  customerId: z.string(),
  items: z.array(z.omit(TimelineEntrySchema, { customerId: true })),
  nextCursor: z.nullable(z.string()),
});

// Not public: a conversation holds message bodies and replies, personal data behind the stage's auth.
export const apiDoc: ApiDoc = {
  summary: 'Read a customer’s conversation, newest first, page by page',
  description:
    'Every message (channel, template, tone, locale, send time, provider message id), delivery event, reply and ' +
    'decision with its reasons, in one timeline across channels. Message bodies are included while within the ' +
    'stage’s retention; the metadata stays. Pass `nextCursor` as `cursor` for the next (older) page.',
  params: PathSchema,
  query: QuerySchema,
  responses: {
    200: { description: 'One page of the conversation', schema: ConversationResponseSchema },
    404: { description: 'No such customer' },
  },
};

/** The cursor is opaque to callers: a versioned, base64url-encoded position in the conversation. */
const CursorSchema = z.object({
  v: z.literal(1),
  after: z.string().check(z.startsWith('TIMELINE#'), z.maxLength(512)),
});

export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after })).toString('base64url');
}

/** Returns the position a cursor stands for; a 400 names the `cursor` parameter when it is not one of ours. */
export function decodeCursor(cursor: string): string {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).after;
  } catch {
    throw new HttpError(400, 'invalid request', [{ path: 'cursor', message: 'not a cursor from this API' }]);
  }
}

export type ConversationItem = Omit<TimelineEntry, 'customerId'>;

export interface ConversationResponse {
  customerId: string;
  items: ConversationItem[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface GetConversationDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  conversation: ConversationReader;
}

export function makeHandler(deps: GetConversationDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const { customerId } = parseParams(event.pathParameters, PathSchema);
          const parsed = QuerySchema.safeParse(event.queryStringParameters ?? {});
          if (!parsed.success) throw new HttpError(400, 'invalid query parameters', issuesOf(parsed.error));
          const query = parsed.data;
          const after = query.cursor ? decodeCursor(query.cursor) : undefined;
          if (!(await deps.customers.getCustomer(customerId))) throw new HttpError(404, 'customer not found');
          const page = await deps.conversation.readConversation(customerId, {
            limit: query.limit,
            ...(after ? { after } : {}),
          });
          const body: ConversationResponse = {
            customerId,
            items: page.entries.map(({ customerId: _customerId, ...item }) => item),
            nextCursor: page.next ? encodeCursor(page.next) : null,
          };
          metrics.addMetric('ConversationsRead', 'Count', 1);
          return json(200, body, { 'cache-control': 'no-store' });
        },
        (error) => logger.error('get-conversation failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({ customers: repository, conversation: repository });
});
