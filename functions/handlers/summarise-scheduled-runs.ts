import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

const Counts = z.record(z.string(), z.number().check(z.int(), z.gte(0)));

export const BatchSummarySchema = z.object({
  pages: z.number().check(z.int(), z.gte(0)),
  selected: z.number().check(z.int(), z.gte(0)),
  started: z.number().check(z.int(), z.gte(0)),
  alreadyStarted: z.number().check(z.int(), z.gte(0)),
  skipped: Counts,
});
export type BatchSummary = z.infer<typeof BatchSummarySchema>;

export const EMPTY_SUMMARY: BatchSummary = {
  pages: 0,
  selected: 0,
  started: 0,
  alreadyStarted: 0,
  skipped: {},
};

export const SummariseScheduledRunsInput = z.object({
  scheduleId: z.string().check(z.minLength(1)),
  previous: BatchSummarySchema,
  selected: z.number().check(z.int(), z.gte(0)),
  batchResults: z.array(
    z.object({
      started: z.number().check(z.int()),
      alreadyStarted: z.number().check(z.int()),
      skipped: Counts,
    }),
  ),
});

/** Returns the running totals with one more page of batch results added. */
export function addPage(input: z.infer<typeof SummariseScheduledRunsInput>): BatchSummary {
  const summary: BatchSummary = {
    ...input.previous,
    skipped: { ...input.previous.skipped },
    pages: input.previous.pages + 1,
    selected: input.previous.selected + input.selected,
  };
  for (const batch of input.batchResults) {
    summary.started += batch.started;
    summary.alreadyStarted += batch.alreadyStarted;
    for (const [reason, count] of Object.entries(batch.skipped)) {
      summary.skipped[reason] = (summary.skipped[reason] ?? 0) + count;
    }
  }
  return summary;
}

/**
 * The scheduled batch's summary (selected, started, already started, skipped by reason), added up
 * page by page; it becomes the execution's output, and each page's counts become metrics.
 */
export function makeHandler() {
  return withObservability(async (event: unknown, _context: Context): Promise<BatchSummary> => {
    const input = SummariseScheduledRunsInput.parse(event);
    const summary = addPage(input);
    const page = addPage({ ...input, previous: EMPTY_SUMMARY });
    metrics.addMetric('ScheduledRunsSelected', 'Count', page.selected);
    metrics.addMetric('ScheduledRunsAlreadyStarted', 'Count', page.alreadyStarted);
    metrics.addMetric(
      'ScheduledRunsSkipped',
      'Count',
      Object.values(page.skipped).reduce((a, b) => a + b, 0),
    );
    logger.info('scheduled batch page summarised', { scheduleId: input.scheduleId, summary });
    return summary;
  });
}

export const handler = wiredOnFirstUse(() => makeHandler());
