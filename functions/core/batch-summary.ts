/**
 * The scheduled batch's summary (pages, selected, started, already started, skipped by reason): the
 * running totals the batch carries from page to page and ends with. Pure: select-due-invoices adds
 * to it, the tests check it.
 */
import * as z from 'zod/mini';

const count = () => z.number().check(z.int(), z.gte(0));
/** Reasons are fixed phrases (summary keys, metric dimensions), never personal data. */
const CountsByReason = z.record(z.string(), count());

export const BatchSummarySchema = z.object({
  /** Pages the due-date index was read in. */
  pages: count(),
  selected: count(),
  started: count(),
  alreadyStarted: count(),
  skipped: CountsByReason,
});
export type BatchSummary = z.infer<typeof BatchSummarySchema>;

/** What one batch of starts did (the Map's result per batch). */
export const BatchResultSchema = z.object({
  started: count(),
  alreadyStarted: count(),
  skipped: CountsByReason,
});
export type BatchResult = z.infer<typeof BatchResultSchema>;

/** Returns the totals a batch starts from. */
export function emptySummary(): BatchSummary {
  return { pages: 0, selected: 0, started: 0, alreadyStarted: 0, skipped: {} };
}

/** Returns the totals with one more page read from the index, `selected` invoices on it. */
export function addSelectedPage(summary: BatchSummary, selected: number): BatchSummary {
  return {
    ...summary,
    skipped: { ...summary.skipped },
    pages: summary.pages + 1,
    selected: summary.selected + selected,
  };
}

/** Returns the totals with a page's batch results (started, already started, skipped) added. */
export function addBatchResults(summary: BatchSummary, results: readonly BatchResult[]): BatchSummary {
  const total: BatchSummary = { ...summary, skipped: { ...summary.skipped } };
  for (const batch of results) {
    total.started += batch.started;
    total.alreadyStarted += batch.alreadyStarted;
    for (const [reason, skipped] of Object.entries(batch.skipped)) {
      total.skipped[reason] = (total.skipped[reason] ?? 0) + skipped;
    }
  }
  return total;
}

/** Returns how many invoices were skipped, whatever the reason. */
export function skippedTotal(counts: Pick<BatchSummary, 'skipped'>): number {
  return Object.values(counts.skipped).reduce((a, b) => a + b, 0);
}
