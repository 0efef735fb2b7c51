import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger, metrics } from '#adapters/powertools.ts';
import { createDeskRepository, createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { HandOverIdParams, HandOverSchema, TakeHandOverBody } from '#application/api/console-agent.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { CUSTOMER_NOT_FOUND, existingCustomer } from '#application/console-desk.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import { type HandOverStore, take } from '#core/hand-over-desk.ts';
import type { Clock, CustomerRepository, TimelineRepository } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Take a hand-over: the signed-in person works on it',
  description: 'Taking it again changes nothing; one taken by someone else is refused with their name.',
  params: HandOverIdParams,
  body: TakeHandOverBody,
  responses: {
    200: { description: 'The hand-over as taken', schema: HandOverSchema },
    404: { description: `No hand-over with this id, or ${CUSTOMER_NOT_FOUND}` },
    409: { description: 'Taken by someone else, or closed' },
  },
};

export interface TakeHandOverDeps {
  handOvers: Pick<HandOverStore, 'getHandOver' | 'saveHandOver'>;
  customers: Pick<CustomerRepository, 'getCustomer'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  clock: Clock;
}

export function makeHandler(deps: TakeHandOverDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { actor } = requireRole(event, 'agent');
          const { handOverId } = parseParams(event.pathParameters, HandOverIdParams);
          parseBody(event, TakeHandOverBody);
          const record = await deps.handOvers.getHandOver(handOverId);
          if (!record) throw new HttpError(404, 'hand-over not found: there is no hand-over with this id');
          await existingCustomer(deps.customers, record.customerId);
          const now = deps.clock.now();
          const change = take(record, actor, now);
          if (!change.ok) throw new HttpError(409, change.problem);
          if (change.changed) {
            if (!(await deps.handOvers.saveHandOver(change.record, record.status))) {
              throw new HttpError(409, 'this hand-over changed meanwhile: load it again');
            }
            await deps.timeline.appendTimeline(
              actionEntry({
                id: actionId('take', now, actor, handOverId),
                customerId: record.customerId,
                at: now,
                actor,
                summary: `hand-over taken (${record.reason})`,
                ...(record.runId ? { runId: record.runId } : {}),
                ...(record.journeyId ? { journeyId: record.journeyId } : {}),
              }),
            );
            metrics.addMetric('HandOversTaken', 'Count', 1);
          }
          logger.info('hand-over taken', { changed: change.changed });
          return json(200, change.record);
        },
        (error) => logger.error('take-hand-over failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  const desk = createDeskRepository();
  return makeHandler({
    handOvers: desk,
    customers: repository,
    timeline: repository,
    clock: systemClock,
  });
});
