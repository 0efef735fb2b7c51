/**
 * Scheduled runs: which invoices a schedule selects on a given day, and the run name that makes a
 * re-run start nothing twice. Pure: the stage config, the batch handlers and the tests share it.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { addDaysToIsoDate } from './iso-time.ts';
import { isValidZone, zoned } from './local-time.ts';

const kebab = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,47}$/, 'lower-case letters, digits and -'));

/** What a schedule selects: open invoices that are `daysOverdue` days past due (negative: before due). */
export const InvoicesDueSelectionSchema = z.object({
  kind: z.literal('invoices-due'),
  daysOverdue: z.number().check(z.int(), z.gte(-60), z.lte(365)),
  /**
   * Days further back that still count, so invoices that came due on a day without a run (a weekend,
   * an outage) are picked up on the next one; a run record per invoice keeps that from reminding twice.
   */
  lookbackDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(31)), 3),
});

/** One schedule of the stage config: when it fires (cron in a named time zone) and what it starts. */
export const ScheduleSchema = z.object({
  id: kebab,
  journeyId: kebab,
  /** EventBridge Scheduler cron: minutes hours day-of-month month day-of-week year. */
  cron: z
    .string()
    .check(
      z.regex(/^cron\((\S+ ){5}\S+\)$/, 'an EventBridge Scheduler cron such as cron(0 7 ? * MON-FRI *)'),
    ),
  timezone: z
    .string()
    .check(z.refine((zone) => isValidZone(zone), 'an IANA time zone such as Europe/Amsterdam')),
  select: InvoicesDueSelectionSchema,
  /** Runs started per batch (one Lambda invocation each). */
  batchSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(500)), 50),
  /** Batches in flight at once: bounds the load on Step Functions, Lambda and the providers. */
  maxConcurrency: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 5),
  enabled: z._default(z.boolean(), true),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

/** The input a schedule gives the batch state machine (EventBridge Scheduler target input). */
export const BatchInputSchema = z.object({
  scheduleId: kebab,
  journeyId: kebab,
  timezone: ScheduleSchema.shape.timezone,
  select: InvoicesDueSelectionSchema,
  batchSize: ScheduleSchema.shape.batchSize,
  maxConcurrency: ScheduleSchema.shape.maxConcurrency,
  /** When the schedule fired (`<aws.scheduler.scheduled-time>`); absent when started by hand. */
  scheduledTime: z.optional(z.iso.datetime({ offset: true })),
});
export type BatchInput = z.infer<typeof BatchInputSchema>;

/** Returns the batch input a schedule fires with, `scheduledTime` filled by the scheduler (or the caller). */
export function batchInputOf(schedule: Schedule, scheduledTime?: string): BatchInput {
  return {
    scheduleId: schedule.id,
    journeyId: schedule.journeyId,
    timezone: schedule.timezone,
    select: schedule.select,
    batchSize: schedule.batchSize,
    maxConcurrency: schedule.maxConcurrency,
    ...(scheduledTime ? { scheduledTime } : {}),
  };
}

/** Returns the calendar day (ISO date) of `at` in the schedule's time zone: the day a run belongs to. */
export function runDayOf(at: Date, timezone: string): string {
  if (Number.isNaN(at.getTime()) || !isValidZone(timezone))
    throw new Error(`invalid time or zone: ${timezone}`);
  return zoned(timezone, at.getTime()).localDay.isoDate;
}

/** Returns the due dates (inclusive) a run on `runDay` selects. */
export function dueWindowOf(
  runDay: string,
  select: z.infer<typeof InvoicesDueSelectionSchema>,
): { from: string; to: string } {
  const to = addDaysToIsoDate(runDay, -select.daysOverdue);
  return { from: addDaysToIsoDate(to, -select.lookbackDays), to };
}

/** Execution names: 1–80 of these characters. */
const NAME_CHARS = /[^A-Za-z0-9_-]/g;

/**
 * Returns the run (execution) name of a scheduled run: customer + invoice + day, so a re-run of the
 * same day's batch finds the same names and starts nothing twice. The readable part helps a person
 * scanning the console; the hash of the exact ids keeps apart ids that read alike once shortened or
 * made name-safe (`c.1`/`c-1`, or `a-b`+`c` and `a`+`b-c`).
 */
export function scheduledRunName(customerId: string, subjectId: string, runDay: string): string {
  const day = runDay.replaceAll('-', '');
  const hash = createHash('sha256').update(`${customerId}\n${subjectId}`).digest('hex').slice(0, 16);
  const readable = `${customerId}-${subjectId}`.replace(NAME_CHARS, '-');
  return `${readable.slice(0, 80 - hash.length - day.length - 2)}-${hash}-${day}`;
}
