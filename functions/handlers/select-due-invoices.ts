import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import {
  addBatchResults,
  addSelectedPage,
  type BatchResult,
  BatchResultSchema,
  type BatchSummary,
  BatchSummarySchema,
  emptySummary,
  skippedTotal,
} from '#core/batch-summary.ts';
import type { DueSubjectQuery } from '#core/ports.ts';
import { BatchInputSchema, dueWindowOf, runDayOf } from '#core/schedule.ts';

/**
 * Where the batch goes on: what the previous select returned as `following`, `{}` on the first page.
 * `next`: read on from there; `last`: the previous page was the last one, read nothing more.
 */
const PageCursorSchema = z.object({
  next: z.optional(z.string().check(z.minLength(1))),
  last: z.optional(z.boolean()),
  /** Batches the previous page was cut into: the Map returns one result per batch. */
  batches: z._default(z.number().check(z.int(), z.gte(0)), 0),
});
export type PageCursor = z.input<typeof PageCursorSchema>;

export const SelectDueInvoicesInput = z.object({
  schedule: BatchInputSchema,
  /** The batch execution's start (`$$.Execution.StartTime`): the run's moment when the scheduler gave none. */
  startedAt: z.iso.datetime({ offset: true }),
  page: z._default(PageCursorSchema, { batches: 0 }),
  /** The totals so far, without the previous page's batch results. */
  summary: z.optional(BatchSummarySchema),
  /** The previous page's batch results (the Map's output): added here, so each page is counted once. */
  batchResults: z._default(z.array(BatchResultSchema), []),
});

/**
 * Invoices per page. A page travels through the state machine as inline Map items (payload limit
 * 256 KB; an item is ~60 bytes), so the batch pages through larger selections.
 */
export const PAGE_SIZE = 1000;

export interface DueBatch {
  items: Array<{ customerId: string; subjectId: string }>;
}

export interface Selection {
  runDay: string;
  window: { from: string; to: string };
  /** Invoices on this page. */
  selected: number;
  /** Pre-chunked: aws-local-stepfunctions ignores ItemBatcher, so both runtimes batch the same way. */
  batches: DueBatch[];
  /** The totals with the previous page's results and this page's selection added. */
  summary: BatchSummary;
  /** The next select's `page`. */
  following: PageCursor;
  /** Nothing to start and nothing after: `summary` is the batch's output. */
  done: boolean;
}

export interface SelectDueInvoicesDeps {
  due: DueSubjectQuery;
  pageSize?: number;
}

/** Emits a page's batch results as the metrics the operations dashboard graphs. */
function emitPageResults(results: readonly BatchResult[]): void {
  const page = addBatchResults(emptySummary(), results);
  metrics.addMetric('ScheduledRunsAlreadyStarted', 'Count', page.alreadyStarted);
  metrics.addMetric('ScheduledRunsSkipped', 'Count', skippedTotal(page));
}

/**
 * One step of the scheduled batch's loop: adds the previous page's batch results to the totals, then
 * reads the next page of due invoices (cut into batches), unless the previous page was the last.
 * Pure in its totals (they travel in the execution's state), so a retried select counts nothing twice.
 */
export function makeHandler(deps: SelectDueInvoicesDeps) {
  const pageSize = deps.pageSize ?? PAGE_SIZE;
  return withObservability(async (event: unknown, _context: Context): Promise<Selection> => {
    const input = SelectDueInvoicesInput.parse(event);
    const { schedule, startedAt, page, batchResults } = input;
    logger.appendKeys({ scheduleId: schedule.scheduleId });
    // One result per batch, or the state machine handed over another page's results.
    if (batchResults.length !== page.batches) {
      throw new Error(
        `expected ${page.batches} batch results of the previous page, received ${batchResults.length}`,
      );
    }
    let summary = addBatchResults(input.summary ?? emptySummary(), batchResults);
    if (page.next || page.last) emitPageResults(batchResults);
    const runDay = runDayOf(new Date(schedule.scheduledTime ?? startedAt), schedule.timezone);
    const window = dueWindowOf(runDay, schedule.select);
    if (page.last) {
      logger.info('scheduled batch done', { runDay, summary });
      return { runDay, window, selected: 0, batches: [], summary, following: { last: true }, done: true };
    }

    const found = await deps.due.listDueSubjects(window.from, window.to, {
      limit: pageSize,
      ...(page.next ? { next: page.next } : {}),
    });
    const batches: DueBatch[] = [];
    for (let start = 0; start < found.items.length; start += schedule.batchSize) {
      batches.push({
        items: found.items
          .slice(start, start + schedule.batchSize)
          .map(({ customerId, subjectId }) => ({ customerId, subjectId })),
      });
    }
    summary = addSelectedPage(summary, found.items.length);
    metrics.addMetric('ScheduledInvoicesSelected', 'Count', found.items.length);
    metrics.addMetric('ScheduledRunsSelected', 'Count', found.items.length);
    const done = batches.length === 0 && !found.next;
    // A page with nothing on it has no batch results to wait for: its (zero) counts go out now.
    if (done) emitPageResults([]);
    logger.info(done ? 'scheduled batch done' : 'due invoices selected', {
      runDay,
      window,
      selected: found.items.length,
      more: !!found.next,
      summary,
    });
    return {
      runDay,
      window,
      selected: found.items.length,
      batches,
      summary,
      following: found.next
        ? { next: found.next, batches: batches.length }
        : { last: true, batches: batches.length },
      done,
    };
  });
}

export const handler = wiredOnFirstUse(() => makeHandler({ due: createRepository() }));
