/**
 * One Task per message step, Task → Wait on the usual path. The contract of `run-journey-step`
 * (the step's config as the ASL file writes it, and what the Task returns for the next Wait to read;
 * its rare outcomes are the control errors of `./journey-control.ts`) and the pure decisions it makes
 * between its reads and its writes: goal reached, condition met, which channel order, when the next
 * step wakes. The handler does the I/O.
 */
import * as z from 'zod/mini';
import { type Channel, ChannelSchema, type CustomerProfile } from './customer.ts';
import { ExperimentSchema } from './experiment.ts';
import {
  type JourneyStep,
  JourneyStepSchema,
  type JourneySubject,
  JourneySubjectSchema,
} from './journey-step.ts';
import { ToneSchema } from './policy.ts';
import type { SendRecord } from './ports/sends.ts';
import { channelAddressOf } from './reachability.ts';
import { stableHash } from './spread.ts';
import {
  localDateIn,
  SubjectDateFieldSchema,
  SubjectDayOffsetSchema,
  subjectDateOf,
  subjectDayOf,
  wakeOnSubjectDay,
} from './subject-dates.ts';
import type { SubjectState } from './subject-state.ts';

const HOUR_MS = 3_600_000;

/** The appointment's moments a step can be about: the reminder before the visit, the follow-up after it. */
export const VisitMomentSchema = z.enum(['reminder', 'follow-up']);
export type VisitMoment = z.infer<typeof VisitMomentSchema>;

/** When the step after this one wakes, counted from this step's message (or from now when none went out). */
export const NextWakeSchema = z.union([
  z.strictObject({ afterHours: z.number().check(z.positive(), z.lte(8_760)) }),
  /**
   * Days before or after a date of the subject (`{ "daysAfter": 1, "of": "dueDate" }`, `{ "daysBefore":
   * 30, "of": "endDate" }`), at the local time of day of this step's message, in the customer's window;
   * a day already passed: now (the window's next slot).
   */
  SubjectDayOffsetSchema,
  /** At this instant (now, when it has passed). */
  z.strictObject({ at: z.iso.datetime({ offset: true }) }),
  /**
   * At the first open slot of the appointment's next moment, from the visit as last told (the
   * subject item): `reminder` from the day before until shortly before the start, `follow-up` after it.
   */
  z.strictObject({ visit: VisitMomentSchema }),
]);
export type NextWake = z.infer<typeof NextWakeSchema>;

/** A condition evaluated inside the Task; not met: the step is skipped with the reason, the journey goes on. */
export const StepConditionSchema = z.discriminatedUnion('kind', [
  /** Only while the customer's calendar day is before the subject's date `of` (`dueDate`: not yet due). */
  z.strictObject({ kind: z.literal('before'), of: SubjectDateFieldSchema }),
  /** Only once the customer's calendar day is after the subject's date `of`. */
  z.strictObject({ kind: z.literal('after'), of: SubjectDateFieldSchema }),
]);
export type StepCondition = z.infer<typeof StepConditionSchema>;

/**
 * A message step: the `JourneyStep` fields (minus `journeyId`, which the input carries) plus how the step
 * picks its channel, what it does when unreachable, when the next step wakes, the read check. Strict, as
 * `JourneyStepSchema` is: an unknown key (`nxt` for `next`) fails the step instead of being dropped.
 */
export const MessageStepConfigSchema = z.extend(z.omit(JourneyStepSchema, { journeyId: true }), {
  /**
   * `customer`: the customer's channel order. `supporting`: deliberately the channel the previous
   * step's last message did not use, when consent and reachability allow; otherwise the customer's
   * channel, with the reason recorded.
   */
  channelOrder: z._default(z.enum(['customer', 'supporting']), 'customer'),
  onlyIf: z.optional(StepConditionSchema),
  /**
   * An email that went out while a supporting channel exists is checked this many hours later: not
   * opened (or not delivered) → the same message on the supporting channel, step `<stepId>-fallback`.
   */
  followUpUnreadHours: z.optional(z.number().check(z.positive(), z.lte(168))),
  /** No channel may or can reach the customer: `hand-over` hands over to a person and ends the run. */
  onUnreachable: z._default(z.enum(['skip', 'hand-over']), 'skip'),
  /** Absent: the journey ends after this step (`action: "end"`; its Task is `End: true`). */
  next: z.optional(NextWakeSchema),
  /**
   * This Task is the step's read check (a state of its own after the step's Task and a Wait): the
   * step's email not delivered or not opened within `followUpUnreadHours` → the same message on the
   * supporting channel as `<stepId>-fallback`; then the next step's wake. The step's Task wakes it at
   * once when no check is needed (no email sent, no supporting channel).
   */
  readCheck: z.optional(z.literal(true)),
  /**
   * The step that precedes this one when the run starts early enough (the pre-due notice before the
   * first reminder). This step is the run's first Task: on the run's first visit before the local day
   * `until` names (`{ "daysAfter": 1, "of": "dueDate" }`), or while the preceding step's condition holds, it throws
   * `Klantreis.TooEarly` and its Catch runs the preceding step (which wakes this one); otherwise the
   * preceding step is recorded as skipped, with its condition's reason, and this step goes on. A run
   * started late then spends no visit on a step that sends nothing.
   */
  precededBy: z.optional(
    z.strictObject({
      stepId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
      templateId: z.string().check(z.minLength(1)),
      onlyIf: StepConditionSchema,
      until: SubjectDayOffsetSchema,
    }),
  ),
  /**
   * An appointment step about a moment of the visit as last told (the subject item, which
   * `appointment.rescheduled` rewrites): `reminder` — not before the day before, not after shortly
   * before the start (else skipped, reason `deadline`), one per visit (its start is the occurrence);
   * `follow-up` — not before a few hours after the start. Both render the visit's current start.
   */
  visit: z.optional(VisitMomentSchema),
  /**
   * On a `follow-up` step: the reminder step's id. The visit moved later and that step has not
   * reminded of the new time yet → outcome `visit-moved`, `wakeAt` the new reminder's slot: the
   * journey goes back to the reminder step.
   */
  remindOfMovedVisit: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]*$/))),
  /**
   * For a customer a country's collection rule covers (`./collection-rule.ts`: a consumer, an invoice in
   * euro): this template instead, by email where the customer agreed to electronic communication, stating
   * the statutory collection costs and the last day to pay; the next step waits until that term has run
   * out. Everybody else gets the step as written.
   */
  collectionNotice: z.optional(
    z.strictObject({ templateId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)) }),
  ),
  /** A legally required notice: it must reach everybody it can, so an experiment on it may have no holdout. */
  mandatory: z.optional(z.boolean()),
  /**
   * An experiment on this step (`./experiment.ts`): each customer's arm, a stable hash of (experiment id,
   * customer id), may change the text variant, the channel order or the send time, or hold the message back.
   * Its rules (`./experiment-rules.ts`) are checked where the journeys are read: `npm test`, `cdk synth`.
   */
  experiment: z.optional(ExperimentSchema),
});
export type MessageStepConfig = z.infer<typeof MessageStepConfigSchema>;

/**
 * A closing step: unless the goal is reached by now, hand over to a person; the run ends either way.
 * `failed`: the journey's Catch after a step failed for good (its retries spent): the failure is recorded
 * in the conversation and, unless the goal is reached, a person takes over; the run then ends as failed.
 */
export const HandOverStepConfigSchema = z.strictObject({
  stepId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  handOver: z.enum(['no-reaction', 'failed']),
});
export type HandOverStepConfig = z.infer<typeof HandOverStepConfigSchema>;

export const StepConfigSchema = z.union([HandOverStepConfigSchema, MessageStepConfigSchema]);
export type StepConfig = z.infer<typeof StepConfigSchema>;

/**
 * `next`: the next state (a Wait) wakes the next step at `wakeAt`; `end`: the last step is done (its
 * Task is `End: true`). The rare outcomes are control errors (`./journey-control.ts`): the same step
 * later (`Klantreis.NotYet`), the run over early (`Klantreis.RunEnded`), back to the appointment's
 * reminder (`Klantreis.VisitMoved`).
 */
export const StepActionSchema = z.enum(['next', 'end']);
export type StepAction = z.infer<typeof StepActionSchema>;

export const StepOutcomeSchema = z.enum([
  'sent',
  'skipped',
  'failed',
  /** The provider may or may not have taken it (see `functions/application/send-step.ts`): never sent again. */
  'unknown',
  'goal-reached',
  'handed-over',
]);
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;

/** The experiment a run is in and its arm (`./experiment.ts`). */
export const RunExperimentSchema = z.object({
  id: z.string().check(z.minLength(1)),
  arm: z.string().check(z.minLength(1)),
});
export type RunExperiment = z.infer<typeof RunExperimentSchema>;

/** What the Task returns; the journey passes it back as the next visit's `progress`. */
export const StepProgressSchema = z.object({
  action: StepActionSchema,
  /** UTC ISO: when the Wait after this Task ends (for `end`: now). */
  wakeAt: z.iso.datetime({ offset: true }),
  /** The step this result is about. */
  stepId: z.string().check(z.minLength(1)),
  outcome: StepOutcomeSchema,
  /** The channel of the message this visit sent (the supporting one after a fallback); null when none. */
  channel: z.nullable(ChannelSchema),
  /** Personal-data-free reasons of this visit's outcome. */
  reasons: z.array(z.string()),
  /** `follow-up`: the step's read check is due at `wakeAt` (its email went out, a supporting channel exists). */
  pending: z.nullable(z.enum(['follow-up'])),
  /** When this step's message went out (UTC ISO): the base of its follow-up and of the next wake. */
  sentAt: z.nullable(z.iso.datetime({ offset: true })),
  /** The channel of the message this step sent first (the follow-up's fallback is the other one). */
  sentChannel: z.nullable(ChannelSchema),
  /** Set on the first step, carried through the run: every step's decision starts from it. */
  segment: z.object({
    segmentId: z.string().check(z.minLength(1)),
    tone: ToneSchema,
    reasons: z.array(z.string()),
    decidedAt: z.iso.datetime({ offset: true }),
  }),
  /** The last message of the run so far (any step): what `channelOrder: "supporting"` turns away from. */
  lastMessage: z.nullable(z.object({ stepId: z.string(), channel: ChannelSchema, at: z.string() })),
  handOver: z.nullable(z.enum(['unreachable', 'no-reaction', 'failed'])),
  /**
   * The run's experiment arm, set by the step with the experiment and carried on, so every later step of
   * the run and its goal are attributed to it. Absent while the run has met no experiment.
   */
  experiment: z.optional(RunExperimentSchema),
});
export type StepProgress = z.infer<typeof StepProgressSchema>;

/**
 * The progress a run starts with (start-journey, start-scheduled-runs): no step has run yet; the journey's
 * first Wait ends at `wakeAt` (the first step's slot as the starter plans it, `planFirstWake`), and the
 * first step keeps that time while it is inside the customer's window (else it decides a slot as usual).
 */
export const StartProgressSchema = z.object({
  action: z.literal('start'),
  wakeAt: z.iso.datetime({ offset: true }),
});
export type StartProgress = z.infer<typeof StartProgressSchema>;

/**
 * What a deferral's Pass state leaves in `$.journey.deferral` for the step's next visit: the control
 * error's `Cause` parsed (`States.StringToJson`), whose `errorMessage` is the wake the step asked for.
 */
export const DeferralSchema = z.object({
  /** Absent when the Catch's raw error is there (`Klantreis.TooEarly` goes to another step, unparsed). */
  wake: z.optional(
    z.object({
      errorType: z.string(),
      errorMessage: z.string(),
      /** The error's stack lines: a `Klantreis.NotYet` after a busy provider carries its tries there. */
      trace: z.optional(z.array(z.string())),
    }),
  ),
});
export type Deferral = z.infer<typeof DeferralSchema>;

const ProgressSchema = z.nullable(z.union([StepProgressSchema, StartProgressSchema]));

export const RunJourneyStepInputSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  journeyId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  customerId: z.string().check(z.minLength(1)),
  subject: JourneySubjectSchema,
  step: StepConfigSchema,
  /**
   * `$.journey`: `progress`, the previous Task's result (on the first step the start's, or null), and
   * after a deferral of this step its `deferral` (the wake it asked for).
   */
  journey: z.optional(
    z.object({ progress: z.optional(ProgressSchema), deferral: z.optional(z.nullable(DeferralSchema)) }),
  ),
  /** `journey.progress` passed at the top level instead (`"progress.$": "$.journey.progress"`), also accepted. */
  progress: z.optional(ProgressSchema),
  /** The journey's Catch (`handOver: "failed"` step): the error that ended the step, its name only is kept. */
  failure: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
  /**
   * `$$.Task.Token` of a `.waitForTaskToken` Task (the read check as a callback): the step answers it —
   * at once with its progress, or, for an email whose reading decides, kept with the email for its
   * feedback to complete (`#application/task-token-step.ts`). The Task's result is the token's output.
   */
  taskToken: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  /**
   * The read check's Catch after such a Task: it timed out (`States.Timeout`: not read in time) or the
   * email could not be read (`Klantreis.EmailNotRead`). The read check then works from the send record.
   */
  readCheckFailed: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});
export type RunJourneyStepInput = z.infer<typeof RunJourneyStepInputSchema>;

/**
 * Returns the `journey` field of a run's execution input (start-journey, start-scheduled-runs): the start
 * progress, first wake at `wakeAt` (the first step's slot, `planFirstWake`). Every Task reads
 * `$.journey.progress` alike, and the journey's first state is a Wait on its `wakeAt` (one transition)
 * instead of a first Task that decides a later slot and loops back to it (three).
 */
export function initialJourney(wakeAt: Date): { progress: StartProgress } {
  return { progress: { action: 'start', wakeAt: wakeAt.toISOString() } };
}

/** A busy deferral wakes between one and fifteen minutes later. */
const BUSY_MIN_MS = 60_000;
const BUSY_MAX_MS = 15 * 60_000;

/**
 * Returns when a step whose send found the account's rate (or the provider) busy after its tries in
 * the invocation goes again: a random-looking but deterministic point (by run, step and moment)
 * between one and fifteen minutes from now, so refused runs come back spread instead of in one herd.
 * A deferral keeps no count (the step's input does not change), so the spread does not back off.
 */
export function busyWakeAt(key: string, now: Date): Date {
  const spread = stableHash(`${key}#${now.toISOString()}`) % (BUSY_MAX_MS - BUSY_MIN_MS);
  return new Date(now.getTime() + BUSY_MIN_MS + spread);
}

/**
 * Visits a send may find its provider busy (throttled, unavailable) on one channel before the step
 * moves on: after this many on the step's channel it takes the supporting channel, after as many more
 * there no channel is left and the journey's Catch hands the customer over to a person (reason
 * `failed`). With deferrals of 1–15 minutes a step gives a channel at most 45 minutes.
 */
export const BUSY_TRIES_PER_CHANNEL = 3;

/** Returns the error's name as the conversation may show it: a code name only, never its message. */
export function failureNameOf(failure: { Error?: string | undefined } | undefined): string {
  const name = failure?.Error ?? '';
  return /^[A-Za-z0-9._-]{1,100}$/.test(name) ? name : 'unknown error';
}

/** Returns whether the config is a hand-over step. */
export function isHandOverStep(step: StepConfig): step is HandOverStepConfig {
  return 'handOver' in step;
}

/** Returns the message step as the decision core takes it. */
export function journeyStepOf(journeyId: string, step: MessageStepConfig, channels?: Channel[]): JourneyStep {
  return {
    journeyId,
    stepId: step.stepId,
    templateId: step.templateId,
    purpose: step.purpose,
    channels: channels ?? step.channels,
    ...(step.tone ? { tone: step.tone } : {}),
    ...(step.notBefore ? { notBefore: step.notBefore } : {}),
    ...(step.withinHours ? { withinHours: step.withinHours } : {}),
    ...(step.notAfter ? { notAfter: step.notAfter } : {}),
    ...(step.occurrence ? { occurrence: step.occurrence } : {}),
  };
}

/**
 * Returns why the journey's goal is reached (the subject's status, read by the Task, is one of its type's
 * goal statuses: the subject registry's `goalStatuses`), or null.
 */
export function goalReachedReason(
  subject: Pick<JourneySubject, 'type'>,
  stored: Pick<SubjectState, 'status'> | undefined,
  goalStatuses: readonly string[],
): string | null {
  const status = stored?.status;
  if (!status) return null;
  return goalStatuses.includes(status) ? `goal reached: ${subject.type} ${status}` : null;
}

/** Returns why the condition is not met on the customer's calendar day of `now`, or null when it is. */
export function conditionProblemOf(
  condition: StepCondition,
  subject: object,
  now: Date,
  timezone: string,
): string | null {
  const date = subjectDateOf(subject, condition.of, timezone);
  if (date === undefined) return `only ${condition.kind} ${condition.of}: the subject has no ${condition.of}`;
  const today = localDateIn(now, timezone);
  if (condition.kind === 'before') {
    return today < date ? null : `only before ${condition.of} ${date}: that day has come`;
  }
  return today > date ? null : `only after ${condition.of} ${date}: that day has not passed`;
}

/** Returns why the step's condition is not met (the step is skipped), or null when it is (or there is none). */
export function conditionProblem(
  step: Pick<MessageStepConfig, 'onlyIf'>,
  subject: object,
  now: Date,
  timezone: string,
): string | null {
  return step.onlyIf ? conditionProblemOf(step.onlyIf, subject, now, timezone) : null;
}

/**
 * Returns whether the run's first visit of a step with `precededBy` hands over to the preceding step
 * (`first`), or the preceding step's reason for being skipped (the run started too late for it).
 */
export function precedingStepOutcome(
  preceding: NonNullable<MessageStepConfig['precededBy']>,
  subject: object,
  now: Date,
  timezone: string,
): { first: true } | { first: false; skipped: string } {
  const skipped = conditionProblemOf(preceding.onlyIf, subject, now, timezone);
  if (skipped === null) return { first: true };
  const until = subjectDayOf(preceding.until, subject, timezone);
  // No such date: the preceding step's own condition said why it cannot go.
  return until !== undefined && localDateIn(now, timezone) < until
    ? { first: true }
    : { first: false, skipped };
}

/**
 * Returns the channel orders to try for the step: `supporting` first the step's channels other than
 * the previous message's, then (if that reaches nobody) the previous message's channel itself.
 */
export function channelAttempts(step: MessageStepConfig, previous: Channel | null): Channel[][] {
  if (step.channelOrder !== 'supporting' || !previous) return [step.channels];
  const supporting = step.channels.filter((c) => c !== previous);
  if (supporting.length === 0) return [step.channels];
  return step.channels.includes(previous) ? [supporting, [previous]] : [supporting];
}

/** Returns when the next step wakes: from `base` (this step's message, or now), per the step's `next`. */
export function nextWakeAt(next: NextWake, base: Date, subject: object, timezone: string): Date {
  if ('afterHours' in next) return new Date(base.getTime() + next.afterHours * HOUR_MS);
  if ('at' in next) return new Date(next.at);
  // A visit's moment needs the customer's windows: the handler resolves it to `at` first (visitStepOf).
  if ('visit' in next) return base;
  return wakeOnSubjectDay(next, base, subject, timezone);
}

/**
 * Returns why a sent email calls for the follow-up's supporting channel (not delivered, or not opened
 * in time), or null when it reached the customer. No record (or one an earlier crash left unfinished):
 * null, as the journey cannot tell, and a duplicate is worse than a missed fallback.
 */
export function unreadReason(stepId: string, record: SendRecord | undefined, hours: number): string | null {
  if (!record || record.status === 'in-progress') return null;
  if (record.status !== 'sent') return `${stepId.replaceAll('-', ' ')} ${record.channel ?? 'email'} not sent`;
  // A letter has no delivery report and no opens: its outcome is the goal event, not a read check.
  if (record.channel === 'letter') return null;
  if (record.deliveryStatus && record.deliveryStatus !== 'delivered' && record.deliveryStatus !== 'delayed') {
    return `${stepId.replaceAll('-', ' ')} email not delivered (${record.deliveryStatus})`;
  }
  if (record.engagement) return null;
  return `${stepId.replaceAll('-', ' ')} email not opened within ${hours} hours`;
}

/** Returns the address a channel reaches on the profile, if any. */
export function addressOf(customer: CustomerProfile, channel: Channel): string | undefined {
  return channelAddressOf(customer, channel);
}
