import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger, metrics } from '#adapters/powertools.ts';
import { createDeskRepository, createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { PauseResponse } from '#application/api/console-agent.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { CUSTOMER_NOT_FOUND, existingCustomer } from '#application/console-desk.ts';
import { type HttpResult, json, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import type { Clock, CustomerRepository, HoldRepository, TimelineRepository } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Lift the customer’s pause: automated messages go again at their next wake',
  description:
    'Who lifted it and when is written in the conversation. Lifting when there is no pause changes nothing.',
  params: CustomerIdParams,
  responses: {
    200: { description: 'No pause in force', schema: PauseResponse },
    404: { description: CUSTOMER_NOT_FOUND },
  },
};

export interface LiftPauseDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  holds: Pick<HoldRepository, 'listHolds' | 'removeHold'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  clock: Clock;
}

export function makeHandler(deps: LiftPauseDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { actor } = requireRole(event, 'agent');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          await existingCustomer(deps.customers, customerId);
          const now = deps.clock.now();
          const paused = (await deps.holds.listHolds(customerId)).some(
            (hold) => hold.kind === 'pause' && Date.parse(hold.until) > now.getTime(),
          );
          await deps.holds.removeHold(customerId);
          if (paused) {
            await deps.timeline.appendTimeline(
              actionEntry({
                id: actionId('lift-pause', now, actor),
                customerId,
                at: now,
                actor,
                summary: 'pause lifted: automated messages go again',
              }),
            );
            metrics.addMetric('PausesLifted', 'Count', 1);
          }
          logger.info('customer pause lifted', { wasPaused: paused });
          return json(200, { customerId, pausedUntil: null, by: actor });
        },
        (error) => logger.error('lift-pause failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  const desk = createDeskRepository();
  return makeHandler({ customers: repository, holds: desk, timeline: repository, clock: systemClock });
});
