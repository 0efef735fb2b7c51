/**
 * Plans a journey for one customer without sending anything (`klantreis simulate`, the console's
 * simulation): walks the journey's ASL file the way its execution would go on its longest path — every
 * send accepted, no email read, nobody pays — on a simulated clock, and at every run-journey-step
 * message step makes the decision its Task would make, with the step object written in that state's
 * Parameters and the run's subject. The ASL file is the only description of the journey: no second
 * copy of its steps exists.
 */

import { countryTables } from '#adapters/country-tables.ts';
import { firstWakeDayOf } from '#application/first-wake-now.ts';
import { type Place, placeOf, spreadless } from '#application/journey-step/place.ts';
import { type HandlerId, type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { visitStepOf } from '#core/appointment-visit.ts';
import { type BehaviourEvent, NO_BEHAVIOUR } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import type { SentMessage } from '#core/contact-pressure.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep, type StepDecision, stepTextOf } from '#core/decision.ts';
import { type ArmAssignment, assignArm, textVariantOnly } from '#core/experiment.ts';
import { armChange } from '#core/experiment-rules.ts';
import { planFirstWake } from '#core/first-wake.ts';
import type { JourneyStep, JourneySubject } from '#core/journey-step.ts';
import {
  channelAttempts,
  conditionProblem,
  initialJourney,
  isHandOverStep,
  journeyStepOf,
  type MessageStepConfig,
  nextWakeAt,
  precedingStepOutcome,
  type StartProgress,
  type StepConfig,
  StepConfigSchema,
  type StepProgress,
} from '#core/journey-step-run.ts';
import type { Policy, Segment, Tone } from '#core/policy.ts';
import { segmentOf } from '#core/segment.ts';
import { resolveTimezone } from '#core/slot.ts';
import { type SubjectDayOffset, subjectDatesNamed } from '#core/subject-dates.ts';
import { type AslDefinition, type AslState, readReferencePath } from './asl.ts';
import { type SmsLengthDeps, smsLengthFor } from './sms-length.ts';

/** Returns the `${…}` placeholder journeys write for a catalog handler's function ARN. */
function placeholderOf(handlerId: HandlerId): string {
  const spec: HandlerSpec | undefined = handlers.find((h) => h.id === handlerId);
  return `\${${spec?.substitution}}`;
}
const RUN_STEP_FUNCTION = placeholderOf('run-journey-step');
/** A journey that loops (or a bug) must not hang the simulator. */
const MAX_STATES = 500;

export interface PlannedStep {
  /** The ASL state that decides this step. */
  state: string;
  step: JourneyStep;
  segment: string;
  /** When the decision is made on the simulated clock (UTC ISO). */
  decidedAt: string;
  decision: StepDecision;
  /** Segment reasons, then the step's. */
  reasons: string[];
  /** The customer's arm of the step's experiment and what it changes (`text direct`, `holdout: sends nothing`). */
  arm?: { experimentId: string; arm: string; change: string };
}

/** A planned step as the simulator prints it and the console's simulation answers it: what goes out, when, why. */
export function plannedStepView(planned: PlannedStep) {
  const d = planned.decision;
  return {
    step: planned.step.stepId,
    segment: planned.segment,
    channel: d.channel,
    fallbacks: d.fallbacks,
    sendAt: d.sendAt,
    localSendAt: d.localSendAt,
    timezone: d.timezone,
    template: d.template,
    variant: d.variant,
    locale: d.locale,
    decidedAt: planned.decidedAt,
    experiment: planned.arm?.experimentId ?? null,
    arm: planned.arm?.arm ?? null,
    armChange: planned.arm?.change ?? null,
    skipped: d.skipped,
    costUsd: d.costUsd,
  };
}

/** Messages and their price per channel, for the steps that would send one (a letter and a call included). */
export function channelTotals(
  steps: ReadonlyArray<{ channel: string | null; costUsd: number | null; skipped: string | null }>,
): { channel: string; messages: number; costUsd: number }[] {
  const totals = new Map<string, { channel: string; messages: number; costUsd: number }>();
  for (const step of steps) {
    if (!step.channel || step.skipped) continue;
    const total = totals.get(step.channel) ?? { channel: step.channel, messages: 0, costUsd: 0 };
    total.messages += 1;
    total.costUsd += step.costUsd ?? 0;
    totals.set(step.channel, total);
  }
  return [...totals.values()];
}

export interface JourneyPlan {
  steps: PlannedStep[];
  /** What the walk could not simulate faithfully (unsupported states or rules), personal-data-free. */
  notes: string[];
}

/**
 * Returns the message steps of a journey, in file order: the `step` objects of its run-journey-step
 * message steps (with their follow-up's `<stepId>-fallback`).
 */
export function messageSteps(definition: AslDefinition): Array<{ state: string; step: unknown }> {
  const found: Array<{ state: string; step: unknown }> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    const task = lambdaTask(state);
    const step = task?.payload.step as Record<string, unknown> | undefined;
    // A read check (`readCheck`) re-visits its step: the step's own entry plans the fallback.
    if (task?.functionName === RUN_STEP_FUNCTION && step && !('handOver' in step) && !step.readCheck) {
      found.push({ state: name, step });
      if (step.followUpUnreadHours !== undefined) {
        found.push({ state: name, step: { ...step, stepId: `${String(step.stepId)}-fallback` } });
      }
    }
  }
  return found;
}

/** Returns the function placeholder and payload of a Lambda task state (`lambda:invoke` or a bare ARN). */
function lambdaTask(
  state: AslState,
): { functionName: unknown; payload: Record<string, unknown> } | undefined {
  if (state.Type !== 'Task') return undefined;
  const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
  const payload = (parameters.Payload ?? parameters) as Record<string, unknown>;
  const functionName = parameters.FunctionName ?? state.Resource;
  return { functionName, payload: payload && typeof payload === 'object' ? payload : {} };
}

/** Returns an ASL Parameters-style template filled from `data` (`"k.$": "$.path"` reads the path). */
function fillTemplate(template: unknown, data: unknown, notes: string[]): unknown {
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, data, notes));
  if (!template || typeof template !== 'object') return template;
  const filled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      const resolved = value.startsWith('$$') ? undefined : evaluate(value, data);
      if (resolved === undefined) notes.push(`${key} (${value}) is not known in a simulation: left out`);
      else filled[key.slice(0, -2)] = resolved;
    } else {
      filled[key] = fillTemplate(value, data, notes);
    }
  }
  return filled;
}

/** Returns a reference path's value, or `States.Array(…)` of paths and literals; undefined for anything else. */
function evaluate(expression: string, data: unknown): unknown {
  const array = /^States\.Array\((.*)\)$/.exec(expression.trim());
  if (!array) return expression.startsWith('States.') ? undefined : safeRead(expression, data);
  const args = (array[1] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const values = args.map((arg) => {
    if (arg.startsWith('$')) return safeRead(arg, data);
    try {
      return JSON.parse(arg.replace(/^'(.*)'$/, '"$1"'));
    } catch {
      return undefined;
    }
  });
  return values.includes(undefined) ? undefined : values;
}

function safeRead(path: string, data: unknown): unknown {
  try {
    return readReferencePath(path, data);
  } catch {
    return undefined;
  }
}

/** Sets `value` at a reference path (`$`, `$.a.b`), creating objects on the way; null discards it. */
function writeResult(
  document: Record<string, unknown>,
  path: unknown,
  value: unknown,
): Record<string, unknown> {
  if (path === null) return document;
  if (path === undefined || path === '$') {
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : document;
  }
  const keys = String(path)
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean);
  let target: Record<string, unknown> = document;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      target[key] = value;
      return;
    }
    const next = target[key];
    if (!next || typeof next !== 'object') target[key] = {};
    target = target[key] as Record<string, unknown>;
  });
  return document;
}

type ChoiceRule = Record<string, unknown>;

/** Returns whether a Choice rule holds for the document; unsupported comparisons count as false, with a note. */
function ruleHolds(rule: ChoiceRule, document: unknown, notes: string[]): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((r) => ruleHolds(r, document, notes));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((r) => ruleHolds(r, document, notes));
  if (rule.Not && typeof rule.Not === 'object') return !ruleHolds(rule.Not as ChoiceRule, document, notes);
  const value = typeof rule.Variable === 'string' ? safeRead(rule.Variable, document) : undefined;
  if ('IsPresent' in rule) return (value !== undefined) === rule.IsPresent;
  if ('IsNull' in rule) return (value === null) === rule.IsNull;
  if ('IsString' in rule) return (typeof value === 'string') === rule.IsString;
  if ('StringEquals' in rule) return value === rule.StringEquals;
  if ('BooleanEquals' in rule) return value === rule.BooleanEquals;
  if ('NumericEquals' in rule) return value === rule.NumericEquals;
  if ('NumericGreaterThan' in rule)
    return typeof value === 'number' && value > Number(rule.NumericGreaterThan);
  if ('NumericLessThan' in rule) return typeof value === 'number' && value < Number(rule.NumericLessThan);
  notes.push(`choice rule on ${String(rule.Variable)} not simulated: taken as false`);
  return false;
}

/** What a step's visit plans from, as the run's visit reads it (`journey-step/visit.ts`). */
interface VisitPlan {
  /** The start's first wake, kept while still open (the run's first Task). */
  planned: Date | undefined;
  /** Why the start's first wake is where it is (its slot's reasons): the reasons of the slot kept. */
  plannedReasons: readonly string[];
  /** Woken at a time a previous step planned: it carries the customer's spread already. */
  spreadless: boolean;
  /** The run's first Task: no step ran before (a `precededBy` may hand over to its preceding step). */
  firstOfRun: boolean;
}

/** The simulated outcome of a Task: its result, or a control error its Catch routes. */
type TaskOutcome = { result: unknown } | { error: string };

/**
 * Returns the plan of the journey for one customer, started at `at` about `subject` (when known): the
 * run's first wake as the starter plans it (`planFirstWake`, with the journey's `firstWake` subject
 * day), then each message step decided at the simulated time the execution reaches it, as its Task
 * decides it: the first step keeps the planned first wake, a step woken at the time the previous one
 * planned gets no second spread, the next wake is moved into the customer's window, conditions and
 * waits relative to the subject's dates are read off the subject. Every send is accepted, no email is
 * read (the read check's supporting channel goes out), and goal checks find nothing, so the plan shows
 * the journey's longest path. The messages planned so far count towards contact pressure.
 */
export function planJourney(input: {
  journeyId: string;
  definition: AslDefinition;
  customer: CustomerProfile;
  policy: Policy;
  at: Date;
  subject?: object | undefined;
  /** The journey's first wake relative to a subject date; default: its catalog entry's `firstWake`. */
  firstWake?: SubjectDayOffset | undefined;
  events?: readonly BehaviourEvent[];
  sent?: readonly SentMessage[];
  /**
   * The templates (and the stage's short-link base): each step's SMS is rendered for the customer and
   * its parts counted, as the run does, so the plan prices it and keeps it within its limit. Absent:
   * one part per SMS.
   */
  content?: Omit<SmsLengthDeps, 'policy'> | undefined;
}): JourneyPlan {
  const { definition, customer, policy, at, subject } = input;
  const notes: string[] = [];
  const steps: PlannedStep[] = [];
  const sent: SentMessage[] = [...(input.sent ?? [])];
  const behaviour = input.events ? summariseBehaviour(input.events, at) : NO_BEHAVIOUR;
  const segmentation = segmentOf({ customer, behaviour, policy, now: at });
  const segment = policy.segments.find((s) => s.id === segmentation.segmentId) ?? policy.segments.at(-1);
  if (!segment) return { steps, notes: ['the policy has no segments'] };

  // The starter's first wake: the first step's slot (not before the journey's subject day, if any).
  const first = definition.States[definition.StartAt];
  const plansFirstWake = first?.Type === 'Wait' && first.TimestampPath === '$.journey.progress.wakeAt';
  const day = !subject
    ? undefined
    : input.firstWake
      ? { offset: input.firstWake, subject }
      : firstWakeDayOf(input.journeyId, subject);
  const { holidayCalendarFor } = countryTables;
  const start = plansFirstWake
    ? planFirstWake({ customer, behaviour, policy, now: at, day, holidayCalendarFor })
    : undefined;
  const firstWake = start?.wakeAt ?? at;
  const startReasons = (start?.reasons ?? []).filter((r) => !segmentation.reasons.includes(r));
  if (!subject && subjectDatesNamed(definition).length > 0) {
    notes.push('no subject given: steps about its dates are planned as if it had none');
  }

  let document: Record<string, unknown> = {
    customerId: customer.id,
    journeyId: input.journeyId,
    ...(subject ? { subject } : {}),
    journey: initialJourney(firstWake),
  };
  let clock = at.getTime();
  let lastChannel: Channel | null = null;
  let name: string | undefined = definition.StartAt;
  for (let visited = 0; name !== undefined; visited++) {
    if (visited >= MAX_STATES) {
      notes.push(`stopped after ${MAX_STATES} states: the journey loops`);
      break;
    }
    const state: AslState | undefined = definition.States[name];
    if (!state) {
      notes.push(`state ${name} does not exist`);
      break;
    }
    let next: string | undefined = typeof state.Next === 'string' ? state.Next : undefined;
    switch (state.Type) {
      case 'Task': {
        const task = lambdaTask(state);
        const payload = task?.payload;
        let outcome: TaskOutcome = { result: {} };
        if (task?.functionName === RUN_STEP_FUNCTION && payload?.step !== undefined) {
          const stepNotes: string[] = [];
          const parsed = StepConfigSchema.safeParse(fillTemplate(payload.step, document, stepNotes));
          notes.push(...stepNotes.map((n) => `${name}: step ${n}`));
          if (!parsed.success) {
            notes.push(`${name}: the step in the ASL file is not valid, not simulated`);
            break;
          }
          const previous = (document.journey as { progress?: StepProgress | StartProgress } | undefined)
            ?.progress;
          const visit = simulateStep({
            state: name,
            journeyId: input.journeyId,
            config: parsed.data,
            customer,
            segment,
            tone: segmentation.tone,
            segmentReasons: segmentation.reasons,
            policy,
            clock,
            sent,
            lastChannel,
            subject,
            events: input.events,
            content: input.content,
            previous,
            visit: {
              planned: previous?.action === 'start' ? new Date(previous.wakeAt) : undefined,
              plannedReasons: startReasons,
              spreadless: previous !== undefined && previous.action !== 'start',
              firstOfRun: previous === undefined || previous.action === 'start',
            },
            triggeredAt: firstWake,
          });
          steps.push(...visit.steps);
          lastChannel = visit.lastChannel;
          outcome = visit.outcome;
          // A step that ends the run (handed over) throws Klantreis.RunEnded; its Catch ends it.
          if ('result' in outcome && (outcome.result as { action?: unknown }).action === 'end') {
            return { steps, notes };
          }
        }
        if ('error' in outcome) {
          const caught = catchOf(state, outcome.error);
          if (!caught) {
            notes.push(`${name}: ${outcome.error} has no Catch; the plan stops here`);
            return { steps, notes };
          }
          document = writeResult(document, caught.ResultPath, { Error: outcome.error });
          next = caught.Next;
          name = next;
          continue;
        }
        // `lambda:invoke` wraps the function's result in `Payload`; a callback Task's result is its token's
        // output, which the step completes with its progress (the email read: the path the plan follows).
        const callback = String(state.Resource).endsWith('.waitForTaskToken');
        const selected = state.ResultSelector
          ? fillTemplate(state.ResultSelector, callback ? outcome.result : { Payload: outcome.result }, [])
          : outcome.result;
        document = writeResult(document, state.ResultPath, selected);
        break;
      }
      case 'Wait': {
        if (typeof state.Seconds === 'number') clock += state.Seconds * 1000;
        const target =
          typeof state.TimestampPath === 'string'
            ? safeRead(state.TimestampPath, document)
            : typeof state.Timestamp === 'string'
              ? state.Timestamp
              : undefined;
        if (typeof target === 'string' && !Number.isNaN(Date.parse(target))) {
          clock = Math.max(clock, Date.parse(target));
        }
        if (typeof state.SecondsPath === 'string') {
          const seconds = Number(safeRead(state.SecondsPath, document));
          if (Number.isFinite(seconds)) clock += seconds * 1000;
        }
        break;
      }
      case 'Choice': {
        const rules: ChoiceRule[] = Array.isArray(state.Choices) ? (state.Choices as ChoiceRule[]) : [];
        const matched: ChoiceRule | undefined = rules.find((rule) => ruleHolds(rule, document, notes));
        name = typeof matched?.Next === 'string' ? matched.Next : (state.Default as string | undefined);
        continue;
      }
      case 'Pass':
        if (state.Result !== undefined) document = writeResult(document, state.ResultPath, state.Result);
        break;
      case 'Succeed':
      case 'Fail':
        return { steps, notes };
      default:
        notes.push(`${name}: ${state.Type} states are not simulated; the plan stops here`);
        return { steps, notes };
    }
    name = state.End === true ? undefined : next;
  }
  return { steps, notes };
}

/** Returns the Catch of a Task state that takes this error (`ErrorEquals` naming it, or `States.ALL`). */
function catchOf(state: AslState, error: string): { Next: string; ResultPath?: unknown } | undefined {
  const catches = Array.isArray(state.Catch)
    ? (state.Catch as Array<{ ErrorEquals?: string[]; Next?: string; ResultPath?: unknown }>)
    : [];
  const caught = catches.find((c) => c.ErrorEquals?.includes(error) || c.ErrorEquals?.includes('States.ALL'));
  return caught?.Next ? { Next: caught.Next, ResultPath: caught.ResultPath } : undefined;
}

/**
 * Returns what a run-journey-step visit plans on the simulated clock (nobody pays, every send is
 * accepted, no email is read): the step at its slot, its read check's supporting channel, and the
 * result the journey's Choice and Wait read, or the control error its Catch routes (`Klantreis.TooEarly`:
 * the preceding step first).
 */
function simulateStep(input: {
  state: string;
  journeyId: string;
  config: StepConfig;
  customer: CustomerProfile;
  segment: Segment;
  tone: Tone;
  segmentReasons: readonly string[];
  policy: Policy;
  clock: number;
  sent: SentMessage[];
  lastChannel: Channel | null;
  subject: object | undefined;
  events: readonly BehaviourEvent[] | undefined;
  content: Omit<SmsLengthDeps, 'policy'> | undefined;
  /** The previous Task's simulated result, or the start's (`$.journey.progress`). */
  previous: unknown;
  visit: VisitPlan;
  /** When the run's first step woke: the trigger a step's `withinHours` counts from. */
  triggeredAt: Date;
}): { steps: PlannedStep[]; lastChannel: Channel | null; outcome: TaskOutcome } {
  const { customer, policy, visit } = input;
  const now = new Date(input.clock);
  const end = { result: { action: 'end', wakeAt: now.toISOString() } };
  const unchanged = { steps: [], lastChannel: input.lastChannel };
  if (isHandOverStep(input.config)) return { ...unchanged, outcome: end };
  // The read check's supporting channel is planned with its step (below); its wake is the step's next.
  if (input.config.readCheck) return { ...unchanged, outcome: { result: input.previous } };
  const subject: object = input.subject ?? {};
  const timezone = resolveTimezone(customer, policy).timezone;
  let config: MessageStepConfig = input.config;
  const startsAt = appointmentStartOf(subject);
  if (startsAt) {
    // The appointment's moments set the step's limits and the next wake, as the Task reads them.
    const context = { customer, segment: input.segment, policy, now, ...countryTables };
    config = visitStepOf(config, startsAt, context);
  }
  const place = (engagement: readonly number[] = []) =>
    placeOf({ policy }, input.journeyId, config, customer, segmentProgress(input), engagement);
  const moveOn = (from: Date, engagement?: readonly number[]): TaskOutcome => ({
    result: nextResult(config, from, now, subject, place(engagement)),
  });

  const notMet = conditionProblem(config, subject, now, timezone);
  if (notMet) return { ...unchanged, outcome: moveOn(now) };
  if (config.precededBy && visit.firstOfRun) {
    const preceding = precedingStepOutcome(config.precededBy, subject, now, timezone);
    if (preceding.first) return { ...unchanged, outcome: { error: 'Klantreis.TooEarly' } };
  }

  const steps: PlannedStep[] = [];
  // The customer's arm: the same deterministic assignment the step Lambda makes.
  const assigned = config.experiment ? assignArm(config.experiment, customer.id) : undefined;
  const decide = (
    step: MessageStepConfig,
    channels: Channel[],
    at: Date,
    options: { arm?: ArmAssignment | undefined; spreadless: boolean; planned?: Date | undefined },
  ) => {
    const journeyStep = journeyStepOf(input.journeyId, step, channels);
    const engagement = input.events ? (summariseBehaviour(input.events, at).engagementTimes ?? []) : [];
    const sms = smsLengthOf(input, journeyStep, options.arm);
    const decision = decideStep({
      ...(options.arm ? { arm: options.arm, wokenAt: now } : {}),
      ...(options.planned ? { planned: options.planned } : {}),
      customer,
      segment: input.segment,
      tone: input.tone,
      step: journeyStep,
      policy: options.spreadless ? spreadless(policy) : policy,
      countries: countryTables,
      now: at,
      triggeredAt: input.triggeredAt,
      sent: input.sent,
      engagement,
      ...(sms ? { sms } : {}),
    });
    return { journeyStep, decision, engagement };
  };
  const plan = (journeyStep: JourneyStep, decision: StepDecision, at: Date) => {
    steps.push({
      state: input.state,
      step: journeyStep,
      segment: input.segment.id,
      decidedAt: at.toISOString(),
      decision,
      reasons: [...input.segmentReasons, ...decision.reasons],
      ...(assigned
        ? {
            arm: {
              experimentId: assigned.experimentId,
              arm: assigned.arm.id,
              change: armChange(assigned.arm),
            },
          }
        : {}),
    });
    if (decision.channel && decision.sendAt)
      input.sent.push({ at: decision.sendAt, channel: decision.channel });
  };
  let chosen: ReturnType<typeof decide> | undefined;
  const attempts = channelAttempts(config, input.lastChannel);
  for (const [i, channels] of attempts.entries()) {
    chosen = decide(config, channels, now, {
      arm: assigned,
      spreadless: visit.spreadless,
      planned: visit.planned,
    });
    if (attempts.length > 1 && i === 0 && chosen.decision.channel) {
      chosen.decision.reasons.unshift(
        `supporting channel: not ${input.lastChannel}, which the previous message used`,
      );
    }
    if (chosen.decision.channel || chosen.decision.skipped === 'holdout') break;
  }
  if (!chosen) return { ...unchanged, outcome: end };
  // The start's first wake kept: why it is there is the starter's slot decision.
  const kept = visit.planned && new Date(Math.max(visit.planned.getTime(), now.getTime())).toISOString();
  if (kept && chosen.decision.sendAt === kept) chosen.decision.reasons.unshift(...visit.plannedReasons);
  plan(chosen.journeyStep, chosen.decision, now);
  const { decision } = chosen;
  // A holdout sends nothing; the journey goes on as if the message had gone at its slot.
  if (decision.skipped === 'holdout' && decision.sendAt) {
    return { steps, lastChannel: input.lastChannel, outcome: moveOn(new Date(decision.sendAt)) };
  }
  if (!decision.channel || !decision.sendAt) {
    const handOver = decision.skipped === 'no-reachable-channel' && config.onUnreachable === 'hand-over';
    return { steps, lastChannel: input.lastChannel, outcome: handOver ? end : moveOn(now) };
  }
  const sentAt = new Date(decision.sendAt);
  let lastChannel: Channel = decision.channel;
  const other = decision.fallbacks.find((c) => c !== decision.channel);
  if (decision.channel === 'email' && other && config.followUpUnreadHours) {
    // Unread after its hours: the read check sends it on the supporting channel, with no spread of its own,
    // and the next wake counts from the email, in the window as the read check sees it.
    const followUpAt = new Date(sentAt.getTime() + config.followUpUnreadHours * 3_600_000);
    const fallback = decide({ ...config, stepId: `${config.stepId}-fallback` }, [other], followUpAt, {
      arm: assigned ? textVariantOnly(assigned) : undefined,
      spreadless: true,
    });
    plan(fallback.journeyStep, fallback.decision, followUpAt);
    if (fallback.decision.channel) lastChannel = fallback.decision.channel;
    const atCheck = fallback.decision.sendAt ? new Date(fallback.decision.sendAt) : followUpAt;
    return {
      steps,
      lastChannel,
      outcome: { result: nextResult(config, sentAt, atCheck, subject, place()) },
    };
  }
  // A letter's next step waits from the day it is received, as the run's does.
  const from = decision.arrival ? new Date(decision.arrival.at) : sentAt;
  return { steps, lastChannel, outcome: moveOn(from, chosen.engagement) };
}

/** Returns the parts of the step's SMS for the customer as the run counts them, when the templates are given. */
function smsLengthOf(
  input: {
    customer: CustomerProfile;
    segment: Segment;
    tone: Tone;
    policy: Policy;
    subject: object | undefined;
    content: Omit<SmsLengthDeps, 'policy'> | undefined;
  },
  step: JourneyStep,
  arm: ArmAssignment | undefined,
) {
  if (!input.content || !input.subject) return undefined;
  const text = stepTextOf({ ...input, step, ...(arm ? { arm } : {}) });
  return smsLengthFor(
    { ...input.content, policy: input.policy },
    {
      customer: input.customer,
      step,
      tone: text.variant,
      locale: text.locale.locale,
      subject: input.subject as JourneySubject,
      isMobileNumber: countryTables.isMobileNumber,
    },
  );
}

/** Returns the appointment's start when the subject is an appointment, else undefined. */
function appointmentStartOf(subject: object): string | undefined {
  const { type, startsAt } = subject as { type?: unknown; startsAt?: unknown };
  return type === 'appointment' && typeof startsAt === 'string' ? startsAt : undefined;
}

/** The run's segment as a step's progress carries it, for the customer's place. */
function segmentProgress(input: { segment: Segment; tone: Tone; segmentReasons: readonly string[] }) {
  return { segmentId: input.segment.id, tone: input.tone, reasons: [...input.segmentReasons], decidedAt: '' };
}

/**
 * Returns the simulated result that moves on to the next step, as the Task's `moveOn` does: the step's
 * `next` from `from` (its message, or now), moved into the customer's window, never before `now`; or
 * the end of the run after the last step.
 */
function nextResult(
  config: MessageStepConfig,
  from: Date,
  now: Date,
  subject: object,
  place: Place,
): { action: string; wakeAt: string; stepId: string } {
  if (!config.next) return { action: 'end', wakeAt: now.toISOString(), stepId: config.stepId };
  const wake = place.align(nextWakeAt(config.next, from, subject, place.timezone));
  return {
    action: 'next',
    wakeAt: new Date(Math.max(wake.getTime(), now.getTime())).toISOString(),
    stepId: config.stepId,
  };
}
