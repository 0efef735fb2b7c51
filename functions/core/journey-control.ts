/**
 * The rare outcomes of a journey step, as named errors the `run-journey-step` Lambda throws
 * and the step's `Catch` routes (AWS's idiom for branching on a Lambda's rare result). The usual path
 * of a step is then Task → Wait with no Choice state: two state transitions per message.
 *
 * On AWS a Lambda function error reaches the Catch with `Error` = the error's name and `Cause` = the
 * JSON string `{"errorType","errorMessage","trace"}`; the local engine hands them on the same way. A
 * message is a UTC ISO time or a fixed phrase: never personal data.
 */

/** This step cannot go now (its slot is later, the account's send rate is used up): again at the wake. */
export const NOT_YET = 'Klantreis.NotYet';
/** The run is over before its last step (goal reached, handed over to a person, customer erased): the Catch ends it. */
export const RUN_ENDED = 'Klantreis.RunEnded';
/** The appointment moved after its reminder went out: back to the reminder step, at the wake. */
export const VISIT_MOVED = 'Klantreis.VisitMoved';
/** The run started before this step's time: the step that precedes it (`precededBy`) goes first. */
export const TOO_EARLY = 'Klantreis.TooEarly';

/** The control errors' names, as a step's Catch lists them (before `States.ALL`). */
export const CONTROL_ERRORS = [NOT_YET, RUN_ENDED, VISIT_MOVED, TOO_EARLY] as const;
export type ControlErrorName = (typeof CONTROL_ERRORS)[number];

/** Why a run ended early, as `Klantreis.RunEnded` says it (a fixed phrase). */
export type RunEndReason = 'goal reached' | 'handed over' | 'customer erased';

/** A control outcome: named for the Catch, with a one-line stack so the `Cause` stays small. */
abstract class JourneyControl extends Error {
  constructor(name: ControlErrorName, message: string) {
    super(message);
    this.name = name;
    // The Lambda runtime puts the stack in `Cause.trace`; a control outcome has no useful one.
    this.stack = `${name}: ${message}`;
  }
}

/**
 * What a step whose provider stayed busy (throttled, unavailable) remembers across its deferrals: how
 * many visits found it busy, and whether the step has moved on to its supporting channel. Without it
 * every visit would start counting again, and a provider that never recovers would keep the run
 * deferring for ever.
 */
export interface BusyTries {
  /** Visits whose send the provider refused for now, on this step (both its channels together). */
  tries: number;
  /** The step sends on its supporting channel now: its decision is in the conversation already. */
  onSupporting: boolean;
}

/** The trace line that carries `BusyTries` (see `NotYet`): `busy <tries>` or `busy <tries> supporting`. */
const BUSY_LINE = /^busy (\d{1,3})( supporting)?$/;

/**
 * A step that put a call task waits for the call's outcome (`call.completed`): its next visit reads
 * the outcome before anything else. `supporting`: the call went unanswered and the step waits for its
 * supporting channel's slot, whose decision is in the conversation already.
 */
export interface AwaitingCall {
  supporting: boolean;
}

/**
 * What a step that waits for a maybe-sent message's bound remembers of that message: the locale and
 * tone it was written in. Its next visit reads the send record before anything else (a provider event
 * may have linked it meanwhile: the step is then done as of that message) and, linked, writes the
 * message's entry in the conversation as the send pipeline does, without rendering it again.
 */
export interface MaybeSentMessage {
  locale: string;
  /** The text variant: a tone, or an experiment arm's named variant. */
  tone: string;
  /** The step's message on its supporting channel (its own claim, `<stepId>-fallback`). */
  supporting: boolean;
}

/** The trace line that carries a `MaybeSentMessage`: `maybe-sent <tone> <locale>`, then ` supporting`. */
const MAYBE_SENT_LINE = /^maybe-sent ([a-z][a-z0-9-]{0,39}) ([A-Za-z0-9-]{1,35})( supporting)?$/;

/**
 * The step goes again at `wakeAt` (message: the ISO time, which the deferral's Wait reads). `busy`:
 * the provider's refusals so far, carried as the error's second stack line. A Lambda function error's
 * `Cause` is `{"errorType","errorMessage","trace"}` with `trace` the stack's lines, and the deferral's
 * Pass state keeps the parsed `Cause` whole, so the next visit reads it back (`deferredWakeOf`) with no
 * state of its own and no change to the journeys' states.
 */
export class NotYet extends JourneyControl {
  readonly wakeAt: Date;
  readonly busy: BusyTries | null;
  /** Set when the step waits for a maybe-sent message (its bound, or its re-send's slot): a line of its own. */
  readonly maybeSent: MaybeSentMessage | null;
  /** A person's hold kept the step back before it decided (`held` line): its next visit decides and records. */
  readonly held: boolean;
  /** Set when the step waits for its call's outcome, or after it for its supporting channel's slot. */
  readonly awaitingCall: AwaitingCall | null;
  constructor(
    wakeAt: Date,
    busy: BusyTries | null = null,
    maybeSent: MaybeSentMessage | null = null,
    held = false,
    awaitingCall: AwaitingCall | null = null,
  ) {
    super(NOT_YET, wakeAt.toISOString());
    this.wakeAt = wakeAt;
    this.busy = busy;
    this.maybeSent = maybeSent;
    this.held = held;
    this.awaitingCall = awaitingCall;
    if (busy) this.stack += `\nbusy ${busy.tries}${busy.onSupporting ? ' supporting' : ''}`;
    if (maybeSent) {
      this.stack += `\nmaybe-sent ${maybeSent.tone} ${maybeSent.locale}${maybeSent.supporting ? ' supporting' : ''}`;
    }
    if (held) this.stack += '\nheld';
    if (awaitingCall) this.stack += `\ncall${awaitingCall.supporting ? ' supporting' : ''}`;
  }
}

/** The run is over; the outcome is in the conversation already. */
export class RunEnded extends JourneyControl {
  readonly reason: RunEndReason;
  constructor(reason: RunEndReason) {
    super(RUN_ENDED, reason);
    this.reason = reason;
  }
}

/** Back to the reminder step at `wakeAt` (message: the ISO time). */
export class VisitMoved extends JourneyControl {
  readonly wakeAt: Date;
  constructor(wakeAt: Date) {
    super(VISIT_MOVED, wakeAt.toISOString());
    this.wakeAt = wakeAt;
  }
}

/** The run's first step goes to the step that precedes it first (e.g. the notice before the due date). */
export class TooEarly extends JourneyControl {
  constructor(precedingStepId: string) {
    super(TOO_EARLY, `${precedingStepId} first`);
  }
}

/** Returns whether the error is a control outcome (not a failure): logged at info level, never as an error. */
export function isJourneyControl(error: unknown): error is NotYet | RunEnded | VisitMoved | TooEarly {
  return error instanceof JourneyControl;
}

/** What a deferral's Pass state leaves for the step's next visit: the parsed `Cause` of the error. */
export interface DeferralCause {
  errorType: string;
  errorMessage: string;
  /** The error's stack lines: a `NotYet`'s further lines carry its `BusyTries` and `MaybeSentMessage`. */
  trace?: string[];
}

/**
 * Returns the wake a step's deferral asked for (`Klantreis.NotYet` or `Klantreis.VisitMoved`, parsed
 * by the Pass state into `$.journey.deferral.wake`), or null when there is none or it is not a time.
 */
export function deferredWakeOf(deferral: { wake?: Partial<DeferralCause> | undefined } | undefined | null): {
  kind: 'not-yet' | 'visit-moved';
  at: Date;
  busy: BusyTries | null;
  maybeSent: MaybeSentMessage | null;
  held: boolean;
  awaitingCall: AwaitingCall | null;
} | null {
  const wake = deferral?.wake;
  if (!wake || typeof wake.errorMessage !== 'string') return null;
  const at = Date.parse(wake.errorMessage);
  if (Number.isNaN(at)) return null;
  if (wake.errorType === NOT_YET) {
    return {
      kind: 'not-yet',
      at: new Date(at),
      busy: busyTriesOf(wake.trace),
      maybeSent: maybeSentOf(wake.trace),
      held: hasLine(wake.trace, 'held'),
      // `call`, or `call supporting` (see `AwaitingCall`).
      awaitingCall: hasLine(wake.trace, 'call')
        ? { supporting: false }
        : hasLine(wake.trace, 'call supporting')
          ? { supporting: true }
          : null,
    };
  }
  if (wake.errorType === VISIT_MOVED)
    return {
      kind: 'visit-moved',
      at: new Date(at),
      busy: null,
      maybeSent: null,
      held: false,
      awaitingCall: null,
    };
  return null;
}

/** Returns the maybe-sent message a `NotYet`'s trace carries, or null when it carries none. */
function maybeSentOf(trace: unknown): MaybeSentMessage | null {
  if (!Array.isArray(trace)) return null;
  for (const line of trace) {
    const match = typeof line === 'string' ? MAYBE_SENT_LINE.exec(line.trim()) : null;
    if (match?.[1] && match[2]) {
      return {
        tone: match[1],
        locale: match[2],
        supporting: match[3] !== undefined,
      };
    }
  }
  return null;
}

/** Returns whether a `NotYet`'s trace carries this line. */
function hasLine(trace: unknown, wanted: string): boolean {
  return Array.isArray(trace) && trace.some((line) => typeof line === 'string' && line.trim() === wanted);
}

/** Returns the busy tries a `NotYet`'s trace carries, or null when it carries none. */
function busyTriesOf(trace: unknown): BusyTries | null {
  if (!Array.isArray(trace)) return null;
  for (const line of trace) {
    const match = typeof line === 'string' ? BUSY_LINE.exec(line.trim()) : null;
    if (match) return { tries: Number(match[1]), onSupporting: match[2] !== undefined };
  }
  return null;
}
