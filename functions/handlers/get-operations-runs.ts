/**
 * The operators' lists: runs that failed (or timed out) lately, and running runs whose next wake is
 * overdue by more than a number of minutes, each with where it waits and a link to its execution.
 * Read from the run watch items the steps and the run-status handler write (gsi1), never by scanning.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { DynamoRunWatch } from '#adapters/dynamo/run-watch.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { logger } from '#adapters/powertools.ts';
import { systemClock } from '#adapters/system-clock.ts';
import {
  type OperationsRun,
  OperationsRunsQuerySchema,
  OperationsRunsResponseSchema,
} from '#application/api/operations.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, issuesOf, json, respond } from '#application/http.ts';
import { catalogGraphs } from '#application/journey-graphs.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { type JourneyGraph, positionOfKey, stateAtPosition } from '#core/journey-graph.ts';
import type { Clock } from '#core/ports.ts';
import type { RunWatchReader, WatchedRun } from '#core/run-positions.ts';

export const apiDoc: ApiDoc = {
  summary: 'Failed runs and runs whose next wake is overdue, with a link to each execution',
  query: OperationsRunsQuerySchema,
  responses: {
    200: {
      description: 'The runs, newest failure or longest overdue first',
      schema: OperationsRunsResponseSchema,
    },
  },
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Returns the execution's page in the Step Functions console (its region from the ARN), or null. */
export function stepFunctionsConsoleUrl(run: Pick<WatchedRun, 'executionArn'>): string | null {
  const region = /^arn:aws[a-z-]*:states:([a-z0-9-]+):/.exec(run.executionArn ?? '')?.[1];
  if (!region || !run.executionArn) return null;
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${run.executionArn}`;
}

export interface GetOperationsRunsDeps {
  watch: RunWatchReader;
  clock: Clock;
  /** The link to a run's execution: the Step Functions console on AWS, the run's API page locally. */
  executionUrlOf?: (run: WatchedRun) => string | null;
  graphs?: readonly JourneyGraph[];
}

export function makeHandler(deps: GetOperationsRunsDeps) {
  const graphs = new Map((deps.graphs ?? catalogGraphs()).map((g) => [g.journeyId, g]));
  const executionUrlOf = deps.executionUrlOf ?? stepFunctionsConsoleUrl;
  const stateOf = (run: WatchedRun): string | undefined => {
    const graph = graphs.get(run.journeyId);
    const position = run.position ? positionOfKey(run.position) : undefined;
    return graph && position ? stateAtPosition(graph, position) : undefined;
  };
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const parsed = OperationsRunsQuerySchema.safeParse(event.queryStringParameters ?? {});
          if (!parsed.success) throw new HttpError(400, 'invalid query parameters', issuesOf(parsed.error));
          const query = parsed.data;
          const now = deps.clock.now();
          const found =
            query.status === 'failed'
              ? await deps.watch.failedRuns(
                  new Date(now.getTime() - (query.days - 1) * DAY_MS).toISOString().slice(0, 10),
                  now.toISOString().slice(0, 10),
                  query.limit,
                )
              : await deps.watch.overdueRuns(
                  new Date(now.getTime() - query.overdueMinutes * MINUTE_MS),
                  query.limit,
                );
          const runs = found.map((run): OperationsRun => {
            const state = query.status === 'waiting-long' ? stateOf(run) : undefined;
            return {
              runId: run.runId,
              journeyId: run.journeyId,
              customerId: run.customerId,
              status: run.status,
              ...(state ? { state } : {}),
              ...(run.nextWakeAt
                ? {
                    nextWakeAt: run.nextWakeAt,
                    overdueMinutes: Math.floor((now.getTime() - Date.parse(run.nextWakeAt)) / MINUTE_MS),
                  }
                : {}),
              ...(run.endedAt ? { endedAt: run.endedAt } : {}),
              executionUrl: executionUrlOf(run),
            };
          });
          return json(200, { status: query.status, runs, checkedAt: now.toISOString() });
        },
        (error) => logger.error('get-operations-runs failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() =>
  makeHandler({
    watch: new DynamoRunWatch(dynamoDbDocumentClient(), readEnv(tableEnv).TABLE_NAME),
    clock: systemClock,
  }),
);
