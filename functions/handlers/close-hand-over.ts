import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger, metrics } from '#adapters/powertools.ts';
import { createDeskRepository, createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { CloseHandOverBody, HandOverIdParams, HandOverSchema } from '#application/api/console-agent.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { CUSTOMER_NOT_FOUND, existingCustomer } from '#application/console-desk.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import { close, type HandOverStore } from '#core/hand-over-desk.ts';
import type { Clock, CustomerRepository, HoldRepository, TimelineRepository } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Close a hand-over with its outcome',
  description:
    'The outcome is required. Closing a dispute’s hand-over lifts the hold it put on the payment reminders. Who ' +
    'closed it, when and with what outcome is written in the conversation; a `note` is kept as a message body is.',
  params: HandOverIdParams,
  body: CloseHandOverBody,
  responses: {
    200: { description: 'The hand-over as closed', schema: HandOverSchema },
    404: { description: `No hand-over with this id, or ${CUSTOMER_NOT_FOUND}` },
    409: { description: 'Closed already' },
  },
};

export interface CloseHandOverDeps {
  handOvers: Pick<HandOverStore, 'getHandOver' | 'saveHandOver'>;
  customers: Pick<CustomerRepository, 'getCustomer'>;
  holds: Pick<HoldRepository, 'listHolds' | 'removeHold'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  clock: Clock;
}

export function makeHandler(deps: CloseHandOverDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { actor } = requireRole(event, 'agent');
          const { handOverId } = parseParams(event.pathParameters, HandOverIdParams);
          const body = parseBody(event, CloseHandOverBody);
          const record = await deps.handOvers.getHandOver(handOverId);
          if (!record) throw new HttpError(404, 'hand-over not found: there is no hand-over with this id');
          await existingCustomer(deps.customers, record.customerId);
          const now = deps.clock.now();
          const change = close(record, actor, now, body.outcome);
          if (!change.ok) throw new HttpError(409, change.problem);
          if (!(await deps.handOvers.saveHandOver(change.record, record.status))) {
            throw new HttpError(409, 'this hand-over changed meanwhile: load it again');
          }
          if (record.reason === 'dispute') {
            const disputes = (await deps.holds.listHolds(record.customerId)).filter(
              (hold) => hold.kind === 'dispute',
            );
            for (const hold of disputes) await deps.holds.removeHold(record.customerId, hold.runId);
          }
          await deps.timeline.appendTimeline(
            actionEntry({
              id: actionId('close', now, actor, handOverId),
              customerId: record.customerId,
              at: now,
              actor,
              summary: `hand-over closed (${record.reason}): ${body.outcome}`,
              ...(record.runId ? { runId: record.runId } : {}),
              ...(record.journeyId ? { journeyId: record.journeyId } : {}),
              ...(body.note ? { note: body.note } : {}),
            }),
          );
          metrics.addMetric('HandOversClosed', 'Count', 1);
          logger.info('hand-over closed', { outcome: body.outcome });
          return json(200, change.record);
        },
        (error) => logger.error('close-hand-over failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  const desk = createDeskRepository();
  return makeHandler({
    handOvers: desk,
    customers: repository,
    holds: desk,
    timeline: repository,
    clock: systemClock,
  });
});
