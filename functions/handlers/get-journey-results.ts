/**
 * `GET /journeys/{journeyId}/results?from=&to=&by=&mde=`: what a journey achieved over a window of
 * days — the funnel per group, and per experiment each arm's conversion with its interval, the
 * difference against control with its test and verdict, median days to goal and cost per goal
 * (`functions/core/results-report.ts`). Read from the aggregates, never a scan; no personal data.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DEFAULT_RESULTS_RETENTION_DAYS, DynamoResultsStore } from '#adapters/dynamo-results.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import type { ResultsReader } from '#core/ports.ts';
import { isReportDimension, resultsReport } from '#core/results-report.ts';
import { REPORT_DIMENSIONS, ResultsReportSchema } from '#core/results-report-schema.ts';
import { journeys } from '#infra/catalog.ts';
import type { ApiDoc } from '#shared/api-doc.ts';
import { requireRole } from '#shared/caller.ts';
import { readEnv, tableEnv } from '#shared/env.ts';
import { HttpError, type HttpResult, issuesOf, json, parseParams, respond } from '#shared/http.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

const PathSchema = z.object({
  journeyId: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'a journey id: lower-case letters, digits and -')),
});

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** 2026-02-30 has the shape of a day but is none (the shape is checked on its own). */
function isCalendarDayOrMisshapen(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return true;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}
const DaySchema = z
  .string()
  .check(
    z.regex(DAY_PATTERN, 'a UTC day, YYYY-MM-DD'),
    z.refine(isCalendarDayOrMisshapen, 'a day of the calendar'),
  );

const BY_PATTERN = new RegExp(`^(${REPORT_DIMENSIONS.join('|')})(,(${REPORT_DIMENSIONS.join('|')}))*$`);

const QuerySchema = z.object({
  from: DaySchema.check(z.describe('First UTC day of the window (inclusive), YYYY-MM-DD.')),
  to: DaySchema.check(z.describe('Last UTC day of the window (inclusive), YYYY-MM-DD.')),
  by: z._default(
    z
      .string()
      .check(
        z.regex(BY_PATTERN, `comma-separated, each one of ${REPORT_DIMENSIONS.join(', ')}`),
        z.describe(`Dimensions to group the funnel by, comma-separated: ${REPORT_DIMENSIONS.join(', ')}.`),
      ),
    'step',
  ),
  mde: z._default(
    z.coerce
      .number()
      .check(
        z.gt(0),
        z.lt(1),
        z.describe(
          'Minimum detectable effect: the absolute difference in conversion the verdict is powered to find (0.05 = five points).',
        ),
      ),
    0.05,
  ),
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
  query: QuerySchema,
  responses: {
    200: { description: 'The report', schema: ResultsReportSchema },
    404: { description: 'No such journey' },
  },
};

export interface GetJourneyResultsDeps {
  results: ResultsReader;
  /** The journeys of this stage (`infra/catalog.ts`). */
  journeyIds: readonly string[];
  /** The stage's results retention: a longer window would read days no longer kept. */
  resultsRetentionDays: number;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

export function makeHandler(deps: GetJourneyResultsDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const { journeyId } = parseParams(event.pathParameters, PathSchema);
          if (!deps.journeyIds.includes(journeyId)) throw new HttpError(404, 'journey not found');
          const parsed = QuerySchema.safeParse(event.queryStringParameters ?? {});
          if (!parsed.success) throw new HttpError(400, 'invalid query parameters', issuesOf(parsed.error));
          const { from, to, mde } = parsed.data;
          if (from > to) {
            throw new HttpError(400, 'invalid query parameters', [
              { path: 'from', message: `${from} is after to (${to})` },
            ]);
          }
          const windowDays = daysBetween(from, to) + 1;
          if (windowDays > deps.resultsRetentionDays) {
            throw new HttpError(400, 'invalid query parameters', [
              {
                path: 'from',
                message: `the window spans ${windowDays} days; results are kept ${deps.resultsRetentionDays} days`,
              },
            ]);
          }
          const by = parsed.data.by.split(',').filter(isReportDimension);
          const rows = await deps.results.readResults(journeyId, from, to);
          const report = resultsReport(rows, { journeyId, from, to, by, minimumDetectableEffect: mde });
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
