/**
 * The request and response shapes of the routes behind the hand-over desk: finding a customer, their
 * runs, the actions a person takes (stop, pause, call outcome, take and close a hand-over) and the
 * inbox. AWS-free (zod and the core only), so the console's forms validate with the very schemas the
 * handlers parse with.
 */
import * as z from 'zod/mini';
import {
  HandOverOutcomeValues,
  HandOverReasonValues,
  HandOverRecordSchema,
  HandOverStatusValues,
} from '#core/hand-over-desk.ts';
import { MAX_HOLD_DAYS } from '#core/hold.ts';

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/** Free text a person writes: it may hold personal data, so it is kept as a message body is, never logged. */
const note = z.string().check(z.minLength(1), z.maxLength(2000));

export const RunIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,80}$/, 'up to 80 letters, digits, - or _'));

export const RunIdParams = z.object({ runId: RunIdSchema });

export const HandOverIdParams = z.object({
  handOverId: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,200}$/, 'letters, digits and . _ : - only')),
});

/** `GET /customers?email=…` or `?phone=…`: exactly one, matched exactly (case and spacing aside). */
export const FindCustomersQuery = z
  .strictObject({
    email: z.optional(z.email()),
    phone: z.optional(z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +31612345678'))),
  })
  .check(
    z.refine((query) => (query.email === undefined) !== (query.phone === undefined), {
      message: 'give either email or phone',
      path: ['email'],
    }),
  );

export const CustomerSummarySchema = z.object({
  customerId: z.string(),
  name: z.optional(z.object({ given: z.optional(z.string()), family: z.optional(z.string()) })),
  locale: z.string(),
  country: z.string(),
});

export const FindCustomersResponse = z.object({ customers: z.array(CustomerSummarySchema) });

export const HoldViewSchema = z.object({
  kind: z.enum(['pause', 'promise-to-pay', 'dispute', 'arrangement']),
  until: z.string(),
  by: z.string(),
  at: z.string(),
  runId: z.optional(z.string()),
  promisedDate: z.optional(z.string()),
  arrangementId: z.optional(z.string()),
  reason: z.optional(z.string()),
});

export const CustomerRunSchema = z.object({
  runId: z.string(),
  journeyId: z.string(),
  subjectId: z.optional(z.string()),
  status: z.enum(['running', 'completed', 'goal-reached', 'failed', 'aborted', 'timed-out']),
  startedAt: z.string(),
  endedAt: z.optional(z.string()),
  currentStep: z
    .nullable(z.string())
    .check(z.describe('The step the run visited last (null before its first).')),
  currentState: z
    .nullable(z.string())
    .check(z.describe('The journey state the execution is in while it runs, e.g. `WaitForSecondReminder`.')),
  nextWakeAt: z.nullable(z.string()).check(z.describe('When the run wakes next, while it runs.')),
  heldUntil: z
    .nullable(z.string())
    .check(z.describe('A person’s hold keeps its next message back until then.')),
  heldBecause: z.nullable(z.string()),
});

export const CustomerRunsResponse = z.object({
  runs: z.array(CustomerRunSchema),
  holds: z
    .array(HoldViewSchema)
    .check(z.describe('The holds in force: a pause of every run, a hold per run.')),
});

export const StopRunBody = z.strictObject({ reason: note });

export const StopRunResponse = z.object({
  runId: z.string(),
  status: z.literal('aborted'),
  stoppedBy: z.string(),
});

/** The end of a pause: a date (messages go again from its start, UTC) or a moment. */
export const PauseBody = z.strictObject({
  until: z
    .union([isoDateTime, isoDate])
    .check(z.describe(`In the future, at most ${MAX_HOLD_DAYS} days ahead.`)),
  reason: note,
});

export const PauseResponse = z.object({
  customerId: z.string(),
  pausedUntil: z.nullable(z.string()),
  by: z.string(),
});

export const CallOutcomeValues = ['reached', 'no-answer', 'promise-to-pay', 'dispute'] as const;

export const CallOutcomeBody = z
  .strictObject({
    outcome: z.enum(CallOutcomeValues),
    promisedDate: z.optional(isoDate),
    note: z.optional(note),
    runId: z.optional(RunIdSchema),
    subjectId: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(128),
          z.describe(
            'The invoice the call was about: its running payment reminders wait. Not needed with `runId`, nor when the customer’s running reminders are about one invoice.',
          ),
        ),
    ),
  })
  .check(
    z.refine((body) => body.outcome !== 'promise-to-pay' || body.promisedDate !== undefined, {
      message: 'a promise to pay needs the promised date',
      path: ['promisedDate'],
    }),
  );

export const CallOutcomeResponse = z.object({
  customerId: z.string(),
  outcome: z.enum(CallOutcomeValues),
  heldRuns: z
    .array(z.string())
    .check(z.describe('The runs whose next message now waits (promise, dispute).')),
  heldUntil: z.nullable(z.string()),
  handOverId: z.nullable(z.string()).check(z.describe('The hand-over a dispute opened.')),
});

/** Taking a hand-over says nothing but who takes it (the signed-in person): an empty body, or none. */
export const TakeHandOverBody = z.strictObject({});

export const CloseHandOverBody = z.strictObject({
  outcome: z.enum(HandOverOutcomeValues),
  note: z.optional(note),
});

/** A hand-over as the desk keeps it: the record itself, so the API and the store cannot drift apart. */
export const HandOverSchema = HandOverRecordSchema;

export const ListHandOversQuery = z.strictObject({
  status: z._default(z.enum(HandOverStatusValues), 'open'),
  reason: z.optional(z.enum(HandOverReasonValues)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
  cursor: z.optional(
    z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2048}$/, 'the next value of a previous page')),
  ),
});

export const HandOverListResponse = z.object({
  items: z.array(HandOverSchema).check(z.describe('Oldest first.')),
  next: z.optional(z.string().check(z.describe('Pass as `cursor` for the next page.'))),
});
