import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '#adapters/powertools.ts';
import type { BatchResult } from '#core/batch-summary.ts';
import { makeHandler, type Selection } from '#handlers/select-due-invoices.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';

const schedule = {
  scheduleId: 'payment-reminder',
  journeyId: 'payment-reminder',
  timezone: 'Europe/Amsterdam',
  select: { kind: 'invoices-due', daysOverdue: -3, lookbackDays: 3 },
  batchSize: 2,
  maxConcurrency: 5,
};
const startedAt = '2026-12-01T06:00:00Z';

/** Five due invoices, read `limit` at a time; `next` is the offset of the next page. */
function setup(count = 5) {
  const reads: Array<string | undefined> = [];
  const handler = makeHandler({
    pageSize: 3,
    due: {
      async listDueSubjects(_from, _to, page) {
        reads.push(page.next);
        const offset = Number(page.next ?? 0);
        const items = Array.from({ length: count }, (_, i) => ({
          customerId: `c-${i}`,
          subjectId: `INV-${i}`,
          dueDate: '2026-12-04',
        })).slice(offset, offset + page.limit);
        const next = offset + page.limit < count ? String(offset + page.limit) : undefined;
        return { items, ...(next ? { next } : {}) };
      },
    },
  });
  const select = (previous: Selection | undefined, batchResults: BatchResult[] = []) =>
    handler(
      {
        schedule,
        startedAt,
        ...(previous ? { page: previous.following, summary: previous.summary } : {}),
        batchResults,
      },
      lambdaContext,
    );
  return { select, reads };
}

/** What the Map returns for a page: each batch started all but its first invoice, skipped that one. */
const resultsOf = (selection: Selection): BatchResult[] =>
  selection.batches.map((b) => ({
    started: b.items.length - 1,
    alreadyStarted: 0,
    skipped: { 'invoice no longer open': 1 },
  }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('select-due-invoices', () => {
  it('pages through the due invoices and ends with exact totals: each page’s results added once', async () => {
    const { select, reads } = setup();
    const first = await select(undefined);
    expect(first).toMatchObject({ selected: 3, done: false, summary: { pages: 1, selected: 3, started: 0 } });
    expect(first.batches.map((b) => b.items.length)).toEqual([2, 1]);
    const second = await select(first, resultsOf(first));
    expect(second).toMatchObject({ selected: 2, done: false, following: { last: true, batches: 1 } });
    const last = await select(second, resultsOf(second));
    expect(last).toMatchObject({ selected: 0, batches: [], done: true });
    expect(last.summary).toEqual({
      pages: 2,
      selected: 5,
      started: 2,
      alreadyStarted: 0,
      skipped: { 'invoice no longer open': 3 },
    });
    // The select after the last page adds its results and reads nothing.
    expect(reads).toEqual([undefined, '3']);
  });

  it('returns the same totals when a select is retried with the same input', async () => {
    const { select } = setup();
    const first = await select(undefined);
    const once = await select(first, resultsOf(first));
    const retried = await select(first, resultsOf(first));
    expect(retried.summary).toEqual(once.summary);
    expect(retried.summary).toMatchObject({ pages: 2, selected: 5, started: 1 });
  });

  it('refuses results that are not the previous page’s, one per batch', async () => {
    const { select } = setup();
    const first = await select(undefined);
    await expect(select(first, resultsOf(first).slice(1))).rejects.toThrow(/expected 2 batch results/);
    await expect(select(undefined, resultsOf(first))).rejects.toThrow(/expected 0 batch results/);
  });

  it('ends at once with one empty page when nothing is due, as the summary always did', async () => {
    const { select } = setup(0);
    const only = await select(undefined);
    expect(only).toMatchObject({ done: true, batches: [] });
    expect(only.summary).toEqual({ pages: 1, selected: 0, started: 0, alreadyStarted: 0, skipped: {} });
  });

  it('emits the scheduled-runs metrics per page: selected when read, already started and skipped when added', async () => {
    const added = vi.spyOn(metrics, 'addMetric');
    const { select } = setup();
    const first = await select(undefined);
    const second = await select(first, resultsOf(first));
    await select(second, [{ started: 0, alreadyStarted: 1, skipped: { 'customer not found': 1 } }]);
    const sums = new Map<string, number>();
    for (const [name, , value] of added.mock.calls) sums.set(name, (sums.get(name) ?? 0) + Number(value));
    expect(Object.fromEntries(sums)).toEqual({
      ScheduledInvoicesSelected: 5,
      ScheduledRunsSelected: 5,
      ScheduledRunsAlreadyStarted: 1,
      ScheduledRunsSkipped: 3,
    });
  });
});
