import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { RunIdParams, StopRunBody, StopRunResponse } from '#application/api/console-agent.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { CUSTOMER_NOT_FOUND, existingCustomer } from '#application/console-desk.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import type {
  Clock,
  CustomerRepository,
  JourneyExecutions,
  RunRepository,
  RunStatusRepository,
  TimelineRepository,
} from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Stop a running journey run (a person decides no more messages go out on it)',
  description:
    'Stops the execution, records the run as `aborted` and writes who stopped it, when and why in the customer’s ' +
    'conversation (the reason is kept as a message body is: for the body retention).',
  params: RunIdParams,
  body: StopRunBody,
  responses: {
    200: { description: 'The run is stopped', schema: StopRunResponse },
    404: { description: `No run with this id, or ${CUSTOMER_NOT_FOUND}` },
    409: { description: 'The run has ended already' },
  },
};

export interface StopRunDeps {
  runs: Pick<RunRepository, 'getRun'> & RunStatusRepository;
  customers: Pick<CustomerRepository, 'getCustomer'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  executions: Pick<JourneyExecutions, 'stop'>;
  clock: Clock;
}

export function makeHandler(deps: StopRunDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { actor } = requireRole(event, 'agent');
          const { runId } = parseParams(event.pathParameters, RunIdParams);
          const { reason } = parseBody(event, StopRunBody);
          const run = await deps.runs.getRun(runId);
          if (!run) throw new HttpError(404, 'run not found: there is no run with this id');
          await existingCustomer(deps.customers, run.customerId);
          if (run.status !== 'running') throw new HttpError(409, `the run has ended already (${run.status})`);
          const now = deps.clock.now();
          // The cause Step Functions keeps names the person, never their words (which may hold personal data).
          await deps.executions.stop(run.executionArn, `stopped by a person (${actor})`);
          await deps.runs.recordRunEnded(run.customerId, runId, {
            status: 'aborted',
            endedAt: now.toISOString(),
          });
          await deps.timeline.appendTimeline(
            actionEntry({
              id: actionId('stop', now, actor, runId),
              customerId: run.customerId,
              at: now,
              actor,
              summary: `${run.journeyId}: run stopped`,
              runId,
              journeyId: run.journeyId,
              reasons: ['stopped by a person'],
              note: reason,
            }),
          );
          metrics.addMetric('RunsStoppedByPerson', 'Count', 1);
          logger.info('run stopped by a person', { runId });
          return json(200, { runId, status: 'aborted', stoppedBy: actor });
        },
        (error) => logger.error('stop-run failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    runs: repository,
    customers: repository,
    timeline: repository,
    executions: new SfnJourneyExecutions(sfnClient()),
    clock: systemClock,
  });
});
