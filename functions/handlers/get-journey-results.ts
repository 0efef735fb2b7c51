/**
 * `GET /journeys/{journeyId}/results?from=&to=&by=&mde=`: what a journey achieved over a window of
 * days — the funnel per group, and per experiment each arm's conversion with its interval, the
 * difference against control with its test and verdict, median days to goal and cost per goal
 * (`functions/core/results-report.ts`). Read from the aggregates, never a scan; no personal data.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DEFAULT_RESULTS_RETENTION_DAYS, DynamoResultsStore } from '#adapters/dynamo/results.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, json, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { ResultsQuerySchema, resultsQueryOf } from '#application/results-query.ts';
import { journeys } from '#catalog/catalog.ts';
import type { ResultsReader } from '#core/ports.ts';
import { resultsReport } from '#core/results-report.ts';
import { ResultsReportSchema } from '#core/results-report-schema.ts';

const PathSchema = z.object({
  journeyId: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'a journey id: lower-case letters, digits and -')),
});

export const apiDoc: ApiDoc = {
  summary: 'Results of a journey over a window of days: funnel per group, experiment arms, cost per goal',
  description:
    'The funnel (planned, skipped by reason, sent, delivered, …, goal reached, handed over) per group of the `by` ' +
    'dimensions; per experiment each arm’s conversion (goals attributed to the arm’s runs ÷ customers planned into ' +
    'it at the experiment’s step) with its Wilson 95 % interval, the difference against control with a ' +
    'two-proportion z test, the sample size per arm the minimum detectable effect needs, and a fixed-horizon ' +
    'verdict (`no-winner-yet` until every arm has that many customers); median days to goal and cost per goal ' +
    'reached in USD. The window may not be longer than the stage’s results retention.',
  params: PathSchema,
  query: ResultsQuerySchema,
  responses: {
    200: { description: 'The report', schema: ResultsReportSchema },
    404: { description: 'No such journey' },
  },
};

export interface GetJourneyResultsDeps {
  results: ResultsReader;
  /** The journeys of this stage (`functions/catalog/catalog.ts`). */
  journeyIds: readonly string[];
  /** The stage's results retention: a longer window would read days no longer kept. */
  resultsRetentionDays: number;
}

export function makeHandler(deps: GetJourneyResultsDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const { journeyId } = parseParams(event.pathParameters, PathSchema);
          if (!deps.journeyIds.includes(journeyId)) throw new HttpError(404, 'journey not found');
          const query = resultsQueryOf(event.queryStringParameters ?? {}, deps.resultsRetentionDays);
          if (!query.ok) throw new HttpError(400, 'invalid query parameters', query.issues);
          const { from, to, by, minimumDetectableEffect } = query.value;
          const rows = await deps.results.readResults(journeyId, from, to);
          const report = resultsReport(rows, { journeyId, from, to, by, minimumDetectableEffect });
          metrics.addMetric('ResultsReportsRead', 'Count', 1);
          return json(200, report, { 'cache-control': 'no-store' });
        },
        (error) => logger.error('get-journey-results failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    ...tableEnv,
    RESULTS_RETENTION_DAYS: z._default(
      z.coerce.number().check(z.int(), z.positive()),
      DEFAULT_RESULTS_RETENTION_DAYS,
    ),
  });
  // Reads only: no pseudonym key, since it keys no customer.
  const results = new DynamoResultsStore(dynamoDbDocumentClient(), env.TABLE_NAME, {
    resultsRetentionDays: env.RESULTS_RETENTION_DAYS,
  });
  return makeHandler({
    results,
    journeyIds: journeys.map((journey) => journey.id),
    resultsRetentionDays: env.RESULTS_RETENTION_DAYS,
  });
});
