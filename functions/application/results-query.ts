/**
 * The query of a results report (`GET /journeys/{journeyId}/results`, `npx klantreis results --stage`):
 * a window of UTC days no longer than the stage keeps results, the dimensions to group by and the
 * minimum detectable effect. Every refusal names its field.
 */
import '#adapters/zod-english.ts';
import * as z from 'zod/mini';
import { isReportDimension } from '#core/results-report.ts';
import { REPORT_DIMENSIONS, type ReportDimension } from '#core/results-report-schema.ts';
import { type FieldIssue, issuesOf } from './http.ts';

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

export const ResultsQuerySchema = z.object({
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

export interface ResultsQuery {
  from: string;
  to: string;
  by: ReportDimension[];
  minimumDetectableEffect: number;
}

const DAY_MS = 86_400_000;

/** Days in the window, both ends included. */
const windowDays = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;

/**
 * Returns the query, or the issues of each failing field: also `from` after `to`, and a window longer
 * than the results retention (days no longer kept would read as nothing happened).
 */
export function resultsQueryOf(
  raw: Record<string, string | undefined>,
  retentionDays: number,
): { ok: true; value: ResultsQuery } | { ok: false; issues: FieldIssue[] } {
  const parsed = ResultsQuerySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  const { from, to, by, mde } = parsed.data;
  if (from > to) return { ok: false, issues: [{ path: 'from', message: `${from} is after to (${to})` }] };
  const days = windowDays(from, to);
  if (days > retentionDays) {
    return {
      ok: false,
      issues: [
        { path: 'from', message: `the window spans ${days} days; results are kept ${retentionDays} days` },
      ],
    };
  }
  return {
    ok: true,
    value: { from, to, by: by.split(',').filter(isReportDimension), minimumDetectableEffect: mde },
  };
}
