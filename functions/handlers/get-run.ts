import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { type ApiDoc, JourneyRunSchema, TimelineEntrySchema } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, json, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { JourneyExecutions, RunRepository, TimelineRepository } from '#core/ports.ts';
import { ENDED_EXECUTION_STATUSES, type ExecutionEndStatus, runEndOf, withRunEnd } from '#core/run-status.ts';

const PathSchema = z.object({
  runId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/, 'up to 80 letters, digits, - or _')),
});

const isEndedStatus = (status: string): status is ExecutionEndStatus =>
  (ENDED_EXECUTION_STATUSES as readonly string[]).includes(status);

/** How far back the customer's conversation is read for the run's decisions. */
const TIMELINE_WINDOW = 500;

export const RunStatusResponse = z.extend(JourneyRunSchema, {
  execution: z
    .nullable(
      z.object({
        status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
        startDate: z.optional(z.string()),
        stopDate: z.optional(z.string()),
        error: z.optional(z.string()),
      }),
    )
    .check(
      z.describe('Step Functions’ view of the run; null once the execution has left its history (90 days).'),
    ),
  currentStep: z
    .nullable(z.string())
    .check(z.describe('The state the run is in while it runs, e.g. `WaitBeforeGoalCheck`.')),
  decisions: z
    .array(TimelineEntrySchema)
    .check(
      z.describe(
        'The run’s decisions, messages, delivery events and milestones so far, oldest first, without message bodies.',
      ),
    ),
});

export const apiDoc: ApiDoc = {
  summary:
    'Status of a journey run: how it ended (or `running`), Step Functions status, current step and the decisions so far',
  params: PathSchema,
  responses: {
    200: { description: 'The run', schema: RunStatusResponse },
    404: { description: 'No run with this id' },
  },
};

export interface GetRunDeps {
  runs: Pick<RunRepository, 'getRun'>;
  timeline: Pick<TimelineRepository, 'listTimeline'>;
  executions: Pick<JourneyExecutions, 'describe'>;
}

export function makeHandler(deps: GetRunDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const { runId } = parseParams(event.pathParameters, PathSchema);
          const run = await deps.runs.getRun(runId);
          if (!run) throw new HttpError(404, 'run not found');
          const [view, timeline] = await Promise.all([
            deps.executions.describe(run.executionArn),
            deps.timeline.listTimeline(run.customerId, TIMELINE_WINDOW),
          ]);
          const { currentState, ...execution } = view ?? {};
          // The run item follows the execution's end through its status-change event; until that lands,
          // Step Functions' own answer is the newer one.
          const ended =
            view && isEndedStatus(view.status) && view.stopDate
              ? withRunEnd(run, runEndOf(view.status, Date.parse(view.stopDate)))
              : run;
          const decisions = timeline
            .filter((entry) => entry.runId === runId)
            .reverse()
            .map(({ body: _body, ...entry }) => entry);
          return json(200, {
            ...ended,
            execution: view ? execution : null,
            currentStep: currentState ?? null,
            decisions,
          });
        },
        (error) => logger.error('get-run failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    runs: repository,
    timeline: repository,
    executions: new SfnJourneyExecutions(sfnClient()),
  });
});
