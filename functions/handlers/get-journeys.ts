/**
 * The journeys drawn from their state machines (the ASL files the stack deploys, bundled as data), each
 * state with the running runs waiting in it now: read from the exact counters the steps move
 * (`#core/run-positions.ts`), one Query per shard, never a scan.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { DynamoRunPositions } from '#adapters/dynamo/run-positions.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { logger } from '#adapters/powertools.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { JourneysResponseSchema, type JourneyView } from '#application/api/journeys.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { type HttpResult, json, respond } from '#application/http.ts';
import { catalogGraphs } from '#application/journey-graphs.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { countsByState, type JourneyGraph } from '#core/journey-graph.ts';
import type { Clock } from '#core/ports.ts';
import type { RunPositionCounts } from '#core/run-positions.ts';

export const apiDoc: ApiDoc = {
  summary: 'The journeys drawn from their state machines, with the running runs waiting in each state now',
  description:
    'States, edges (Next, Choice, Catch and Retry with their errors) and each step’s config as the state machine passes it. ' +
    'Counts are exact: every step moves its run’s count in one transaction with the run.',
  responses: { 200: { description: 'Every journey', schema: JourneysResponseSchema } },
};

export interface GetJourneysDeps {
  counts: RunPositionCounts;
  clock: Clock;
  /** The journeys' graphs; the catalog's journeys from their bundled definitions by default. */
  graphs?: readonly (JourneyGraph & { subject?: string })[];
}

export function makeHandler(deps: GetJourneysDeps) {
  const graphs = deps.graphs ?? catalogGraphs();
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const views = await Promise.all(
            graphs.map(async (graph): Promise<JourneyView> => {
              const { byState, unplaced } = countsByState(graph, await deps.counts.countsOf(graph.journeyId));
              if (unplaced > 0)
                logger.warn('runs at positions the journey has no state for', {
                  journeyId: graph.journeyId,
                  unplaced,
                });
              const states = graph.states.map((state) => ({ ...state, running: byState[state.name] ?? 0 }));
              return {
                journeyId: graph.journeyId,
                ...(graph.subject ? { subject: graph.subject } : {}),
                ...(graph.comment ? { comment: graph.comment } : {}),
                startAt: graph.startAt,
                running: states.reduce((sum, s) => sum + s.running, 0) + unplaced,
                states,
                edges: graph.edges,
              };
            }),
          );
          return json(200, { journeys: views, countedAt: deps.clock.now().toISOString() });
        },
        (error) => logger.error('get-journeys failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() =>
  makeHandler({
    counts: new DynamoRunPositions(dynamoDbDocumentClient(), readEnv(tableEnv).TABLE_NAME),
    clock: systemClock,
  }),
);
