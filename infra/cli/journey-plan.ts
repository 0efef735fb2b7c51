/**
 * Plans a journey for one customer without sending anything: walks the journey's ASL file the way
 * its execution would go on its longest path — every send accepted, no email read, nobody
 * pays — on a simulated clock, and at every run-journey-step message step makes the decision the
 * Lambda would make, with the step object written in that state's Parameters. The ASL file is the only description of the
 * journey: no second copy of its steps exists.
 */

import { countryTables } from '#adapters/country-tables.ts';
import { type HandlerId, type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { type BehaviourEvent, NO_BEHAVIOUR } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import type { SentMessage } from '#core/contact-pressure.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep, type StepDecision } from '#core/decision.ts';
import { type ArmAssignment, assignArm, textVariantOnly } from '#core/experiment.ts';
import { armChange } from '#core/experiment-rules.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import {
  channelAttempts,
  isHandOverStep,
  journeyStepOf,
  type MessageStepConfig,
  nextWakeAt,
  StepConfigSchema,
} from '#core/journey-step-run.ts';
import type { Policy, Segment, Tone } from '#core/policy.ts';
import { segmentOf } from '#core/segment.ts';
import { type AslDefinition, type AslState, readReferencePath } from '../local/asl.ts';

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
  };
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

/**
 * Returns the plan of the journey for one customer, starting at `at`: the customer is segmented
 * once (as the journey's first step does), each message step is decided at the simulated time the
 * execution would reach it (Wait states advance the clock; a step waits for its slot), and the
 * messages planned so far count towards contact pressure for the later steps. Goal checks
 * (e.g. "invoice paid?") find nothing, so the plan shows the full journey.
 */
export function planJourney(input: {
  journeyId: string;
  definition: AslDefinition;
  customer: CustomerProfile;
  policy: Policy;
  at: Date;
  events?: readonly BehaviourEvent[];
  sent?: readonly SentMessage[];
}): JourneyPlan {
  const { definition, customer, policy, at } = input;
  const notes: string[] = [];
  const steps: PlannedStep[] = [];
  const sent: SentMessage[] = [...(input.sent ?? [])];
  const behaviour = input.events ? summariseBehaviour(input.events, at) : NO_BEHAVIOUR;
  const segmentation = segmentOf({ customer, behaviour, policy, now: at });
  const segment = policy.segments.find((s) => s.id === segmentation.segmentId) ?? policy.segments.at(-1);
  if (!segment) return { steps, notes: ['the policy has no segments'] };

  let document: Record<string, unknown> = { customerId: customer.id, journeyId: input.journeyId };
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
    const next = typeof state.Next === 'string' ? state.Next : undefined;
    switch (state.Type) {
      case 'Task': {
        const task = lambdaTask(state);
        const payload = task?.payload;
        let result: unknown = {};
        if (task?.functionName === RUN_STEP_FUNCTION && payload?.step !== undefined) {
          const stepNotes: string[] = [];
          const parsed = StepConfigSchema.safeParse(fillTemplate(payload.step, document, stepNotes));
          notes.push(...stepNotes.map((n) => `${name}: step ${n}`));
          if (!parsed.success) {
            notes.push(`${name}: the step in the ASL file is not valid, not simulated`);
            break;
          }
          const visit = simulateStep({
            state: name,
            journeyId: input.journeyId,
            config: parsed.data,
            customer,
            segment,
            tone: segmentation.tone,
            segmentReasons: segmentation.reasons,
            policy,
            at,
            clock,
            sent,
            lastChannel,
            subject: document.subject,
            events: input.events,
            notes,
            previous: (document.journey as { progress?: unknown } | undefined)?.progress,
          });
          steps.push(...visit.steps);
          lastChannel = visit.lastChannel;
          result = visit.result;
          // A step that ends the run (handed over) throws Klantreis.RunEnded; its Catch ends it.
          if ((result as { action?: unknown } | undefined)?.action === 'end') return { steps, notes };
        }
        // `lambda:invoke` wraps the function's result in `Payload`; a callback Task's result is its token's
        // output, which the step completes with its progress (the email read: the path the plan follows).
        const callback = String(state.Resource).endsWith('.waitForTaskToken');
        const selected = state.ResultSelector
          ? fillTemplate(state.ResultSelector, callback ? result : { Payload: result }, [])
          : result;
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

/**
 * Returns what a run-journey-step visit plans on the simulated clock (nobody pays, every send is
 * accepted, no email is read): the step at its slot, its follow-up on the supporting channel, the
 * result the journey's Choice and Wait read. Without a subject (the simulator has none), a condition
 * is taken as not met and a due-date wake as now, each with a note.
 */
function simulateStep(input: {
  state: string;
  journeyId: string;
  config: ReturnType<typeof StepConfigSchema.parse>;
  customer: CustomerProfile;
  segment: Segment;
  tone: Tone;
  segmentReasons: readonly string[];
  policy: Policy;
  at: Date;
  clock: number;
  sent: SentMessage[];
  lastChannel: Channel | null;
  subject: unknown;
  events: readonly BehaviourEvent[] | undefined;
  notes: string[];
  /** The previous Task's simulated result (`$.journey.progress`). */
  previous: unknown;
}): { steps: PlannedStep[]; lastChannel: Channel | null; result: unknown } {
  const { config, customer, policy, notes } = input;
  const nowIso = new Date(input.clock).toISOString();
  const end = { action: 'end', wakeAt: nowIso };
  if (isHandOverStep(config)) return { steps: [], lastChannel: input.lastChannel, result: end };
  // The read check's fallback is planned with its step (below); its wake is the step's next.
  if (config.readCheck) return { steps: [], lastChannel: input.lastChannel, result: input.previous };
  const subject = input.subject as Parameters<typeof nextWakeAt>[2] | undefined;
  if (config.onlyIf && !subject) {
    notes.push(`${input.state}: condition ${config.onlyIf.kind} not simulated without a subject: skipped`);
    return { steps: [], lastChannel: input.lastChannel, result: next(config, input.clock, subject, notes) };
  }
  const steps: PlannedStep[] = [];
  // The customer's arm: the same deterministic assignment the step Lambda makes.
  const assigned = config.experiment ? assignArm(config.experiment, customer.id) : undefined;
  const decide = (step: MessageStepConfig, channels: Channel[], now: Date, arm?: ArmAssignment) => {
    const journeyStep = journeyStepOf(input.journeyId, step, channels);
    const decision = decideStep({
      ...(arm ? { arm, wokenAt: new Date(input.clock) } : {}),
      customer,
      segment: input.segment,
      tone: input.tone,
      step: journeyStep,
      policy,
      countries: countryTables,
      now,
      triggeredAt: input.at,
      sent: input.sent,
      engagement: input.events ? (summariseBehaviour(input.events, now).engagementTimes ?? []) : [],
    });
    return { journeyStep, decision };
  };
  const plan = (journeyStep: JourneyStep, decision: StepDecision, now: Date) => {
    steps.push({
      state: input.state,
      step: journeyStep,
      segment: input.segment.id,
      decidedAt: now.toISOString(),
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
  const now = new Date(input.clock);
  let chosen: ReturnType<typeof decide> | undefined;
  const attempts = channelAttempts(config, input.lastChannel);
  for (const [i, channels] of attempts.entries()) {
    chosen = decide(config, channels, now, assigned);
    if (attempts.length > 1 && i === 0 && chosen.decision.channel) {
      chosen.decision.reasons.unshift(
        `supporting channel: not ${input.lastChannel}, which the previous message used`,
      );
    }
    if (chosen.decision.channel || chosen.decision.skipped === 'holdout') break;
  }
  if (!chosen) return { steps, lastChannel: input.lastChannel, result: end };
  plan(chosen.journeyStep, chosen.decision, now);
  const { decision } = chosen;
  // A holdout sends nothing; the journey goes on as if the message had gone at its slot.
  if (decision.skipped === 'holdout' && decision.sendAt) {
    return {
      steps,
      lastChannel: input.lastChannel,
      result: next(config, Date.parse(decision.sendAt), subject, notes),
    };
  }
  if (!decision.channel || !decision.sendAt) {
    const handOver = decision.skipped === 'no-reachable-channel' && config.onUnreachable === 'hand-over';
    return {
      steps,
      lastChannel: input.lastChannel,
      result: handOver ? end : next(config, input.clock, subject, notes),
    };
  }
  const sentAt = Date.parse(decision.sendAt);
  let lastChannel: Channel = decision.channel;
  const other = decision.fallbacks.find((c) => c !== decision.channel);
  if (decision.channel === 'email' && other && config.followUpUnreadHours) {
    const followUpAt = new Date(sentAt + config.followUpUnreadHours * 3_600_000);
    const fallback = decide(
      { ...config, stepId: `${config.stepId}-fallback` },
      [other],
      followUpAt,
      assigned ? textVariantOnly(assigned) : undefined,
    );
    plan(fallback.journeyStep, fallback.decision, followUpAt);
    if (fallback.decision.channel) lastChannel = fallback.decision.channel;
  }
  return { steps, lastChannel, result: next(config, sentAt, subject, notes) };
}

/** Returns the simulated result that moves to the next step from `base` (epoch ms), or ends the run. */
function next(
  config: MessageStepConfig,
  base: number,
  subject: Parameters<typeof nextWakeAt>[2] | undefined,
  notes: string[],
): { action: string; wakeAt: string } {
  if (!config.next) return { action: 'end', wakeAt: new Date(base).toISOString() };
  if ('afterDueDays' in config.next && !subject) {
    notes.push(`${config.stepId}: the wake after the due date is not simulated without a subject: now`);
    return { action: 'continue', wakeAt: new Date(base).toISOString() };
  }
  const wake = subject
    ? nextWakeAt(config.next, new Date(base), subject, 'UTC')
    : new Date(base + ('afterHours' in config.next ? config.next.afterHours * 3_600_000 : 0));
  return { action: 'next', wakeAt: wake.toISOString() };
}
