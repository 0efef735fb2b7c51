import { describe, expect, it } from 'vitest';
import { addBatchResults, addSelectedPage, emptySummary, skippedTotal } from '#core/batch-summary.ts';

describe('batch summary', () => {
  it('adds a page: one more page, its selected invoices, and its batches’ counts merged by reason', () => {
    const previous = {
      pages: 1,
      selected: 4,
      started: 3,
      alreadyStarted: 0,
      skipped: { 'invoice no longer open': 1 },
    };
    const selected = addSelectedPage(previous, 3);
    const summary = addBatchResults(selected, [
      { started: 1, alreadyStarted: 1, skipped: { 'invoice no longer open': 1 } },
      { started: 0, alreadyStarted: 0, skipped: { 'customer not found': 2 } },
    ]);
    expect(summary).toEqual({
      pages: 2,
      selected: 7,
      started: 4,
      alreadyStarted: 1,
      skipped: { 'invoice no longer open': 2, 'customer not found': 2 },
    });
    expect(skippedTotal(summary)).toBe(4);
    // The totals it was given are left as they were: a retried step starts from the same ones.
    expect(previous).toEqual({
      pages: 1,
      selected: 4,
      started: 3,
      alreadyStarted: 0,
      skipped: { 'invoice no longer open': 1 },
    });
    expect(selected.skipped).toEqual({ 'invoice no longer open': 1 });
  });

  it('starts at zero and adds nothing for a page without batches', () => {
    expect(addBatchResults(emptySummary(), [])).toEqual({
      pages: 0,
      selected: 0,
      started: 0,
      alreadyStarted: 0,
      skipped: {},
    });
  });
});
