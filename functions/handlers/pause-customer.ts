import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger, metrics } from '#adapters/powertools.ts';
import { createDeskRepository, createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { PauseBody, PauseResponse } from '#application/api/console-agent.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { CUSTOMER_NOT_FOUND, existingCustomer } from '#application/console-desk.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import { holdEndProblem } from '#core/hold.ts';
import type { Clock, CustomerRepository, HoldRepository, TimelineRepository } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Pause every automated message to the customer until a date (a person is talking to them)',
  description:
    'Every journey’s next message waits until `until` (a date: from its start, UTC), deferred with the reason ' +
    '`paused until … by a person`; a new pause replaces the one there. Who paused, when and why is written in the ' +
    'conversation (the reason is kept as a message body is).',
  params: CustomerIdParams,
  body: PauseBody,
  responses: {
    200: { description: 'The pause in force', schema: PauseResponse },
    404: { description: CUSTOMER_NOT_FOUND },
  },
};

export interface PauseCustomerDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  holds: Pick<HoldRepository, 'putHold'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  clock: Clock;
}

/** A date pauses until its start (UTC); a moment until that moment. */
function endOf(until: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(until) ? `${until}T00:00:00Z` : until);
}

export function makeHandler(deps: PauseCustomerDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { actor } = requireRole(event, 'agent');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          const body = parseBody(event, PauseBody);
          const now = deps.clock.now();
          const until = endOf(body.until);
          const problem = holdEndProblem(until, now);
          if (problem) throw new HttpError(400, 'invalid request', [{ path: 'until', message: problem }]);
          await existingCustomer(deps.customers, customerId);
          const untilIso = until.toISOString();
          await deps.holds.putHold(customerId, {
            kind: 'pause',
            until: untilIso,
            by: actor,
            at: now.toISOString(),
          });
          await deps.timeline.appendTimeline(
            actionEntry({
              id: actionId('pause', now, actor),
              customerId,
              at: now,
              actor,
              summary: `automated messages paused until ${untilIso}`,
              reasons: [`paused until ${untilIso} by a person`],
              note: body.reason,
            }),
          );
          metrics.addMetric('CustomersPaused', 'Count', 1);
          logger.info('customer paused');
          return json(200, { customerId, pausedUntil: untilIso, by: actor });
        },
        (error) => logger.error('pause-customer failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  const desk = createDeskRepository();
  return makeHandler({ customers: repository, holds: desk, timeline: repository, clock: systemClock });
});
