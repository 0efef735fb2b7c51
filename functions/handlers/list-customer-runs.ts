import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { CustomerRunsResponse } from '#application/api/console-agent.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { CUSTOMER_NOT_FOUND, existingCustomer } from '#application/console-desk.ts';
import { type HttpResult, json, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { holdNow } from '#core/hold.ts';
import type { Clock, CustomerRepository, HoldRepository, JourneyExecutions, RunLookup } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'A customer’s journey runs with where each one is and when it wakes next',
  description:
    'Newest first. A running run shows the journey state its execution is in (Step Functions), the step it ' +
    'visited last and its next wake (as that visit planned it), and the hold that keeps its next message back, if any.',
  params: CustomerIdParams,
  responses: {
    200: { description: 'The runs and the holds in force', schema: CustomerRunsResponse },
    404: { description: CUSTOMER_NOT_FOUND },
  },
};

export interface ListCustomerRunsDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  runs: RunLookup;
  holds: Pick<HoldRepository, 'listHolds'>;
  executions: Pick<JourneyExecutions, 'describe'>;
  clock: Clock;
}

export function makeHandler(deps: ListCustomerRunsDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          await existingCustomer(deps.customers, customerId);
          const now = deps.clock.now();
          const [runs, holds] = await Promise.all([
            deps.runs.listRuns(customerId),
            deps.holds.listHolds(customerId),
          ]);
          const inForce = holds.filter((hold) => Date.parse(hold.until) > now.getTime());
          const views = await Promise.all(
            runs.map(async (run) => {
              const running = run.status === 'running';
              // Only a running run has a state to show; a customer has a handful of runs at most.
              const view = running ? await deps.executions.describe(run.executionArn) : undefined;
              const held = running ? holdNow(inForce, run.runId, now) : undefined;
              return {
                runId: run.runId,
                journeyId: run.journeyId,
                ...(run.subjectId ? { subjectId: run.subjectId } : {}),
                status: run.status,
                startedAt: run.startedAt,
                ...(run.endedAt ? { endedAt: run.endedAt } : {}),
                currentStep: run.currentStep ?? null,
                currentState: view?.status === 'RUNNING' ? (view.currentState ?? null) : null,
                nextWakeAt: running ? (run.nextWakeAt ?? null) : null,
                heldUntil: held ? held.until.toISOString() : null,
                heldBecause: held ? held.reason : null,
              };
            }),
          );
          views.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
          return json(200, { runs: views, holds: inForce });
        },
        (error) => logger.error('list-customer-runs failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    customers: repository,
    runs: repository,
    holds: repository,
    executions: new SfnJourneyExecutions(sfnClient()),
    clock: systemClock,
  });
});
