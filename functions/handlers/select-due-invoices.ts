import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { createRepository } from '#adapters/repository-wiring.ts';
import type { DueSubjectQuery } from '#core/ports.ts';
import { BatchInputSchema, dueWindowOf, runDayOf } from '#core/schedule.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const SelectDueInvoicesInput = z.object({
  schedule: BatchInputSchema,
  /** The batch execution's start (`$$.Execution.StartTime`): the run's moment when the scheduler gave none. */
  startedAt: z.iso.datetime({ offset: true }),
  page: z._default(z.object({ next: z.optional(z.string().check(z.minLength(1))) }), {}),
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
  selected: number;
  /** Pre-chunked: aws-local-stepfunctions ignores ItemBatcher, so both runtimes batch the same way. */
  batches: DueBatch[];
  /** Present when more invoices are due: the batch loops with it. */
  next?: string;
}

export interface SelectDueInvoicesDeps {
  due: DueSubjectQuery;
  pageSize?: number;
}

export function makeHandler(deps: SelectDueInvoicesDeps) {
  const pageSize = deps.pageSize ?? PAGE_SIZE;
  return withObservability(async (event: unknown, _context: Context): Promise<Selection> => {
    const { schedule, startedAt, page } = SelectDueInvoicesInput.parse(event);
    logger.appendKeys({ scheduleId: schedule.scheduleId });
    const runDay = runDayOf(new Date(schedule.scheduledTime ?? startedAt), schedule.timezone);
    const window = dueWindowOf(runDay, schedule.select);
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
    logger.info('due invoices selected', {
      runDay,
      window,
      selected: found.items.length,
      more: !!found.next,
    });
    metrics.addMetric('ScheduledInvoicesSelected', 'Count', found.items.length);
    return {
      runDay,
      window,
      selected: found.items.length,
      batches,
      ...(found.next ? { next: found.next } : {}),
    };
  });
}

export const handler = wiredOnFirstUse(() => makeHandler({ due: createRepository() }));
