/**
 * Plans a journey for one customer without sending anything: walks the journey's ASL file the way
 * its execution would go on its longest path — every send accepted, no email read, nobody
 * pays — on a simulated clock, and at every PickChannelAndSlot state makes the decision the Lambda would make, with the
 * step object written in that state's Parameters. The ASL file is the only description of the
 * journey: no second copy of its steps exists.
 */
import { type BehaviourEvent, NO_BEHAVIOUR } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import type { SentMessage } from '#core/contact-pressure.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { decideStep, type StepDecision } from '#core/decision.ts';
import { type JourneyStep, JourneyStepSchema } from '#core/journey-step.ts';
import type { Policy } from '#core/policy.ts';
import { segmentOf } from '#core/segment.ts';
import { type HandlerId, type HandlerSpec, handlers } from '../catalog.ts';
import { type AslDefinition, type AslState, readReferencePath } from '../local/asl.ts';

/** Returns the `${…}` placeholder journeys write for a catalog handler's function ARN. */
function placeholderOf(handlerId: HandlerId): string {
  const spec: HandlerSpec | undefined = handlers.find((h) => h.id === handlerId);
  return `\${${spec?.substitution}}`;
}
const PICK_FUNCTION = placeholderOf('pick-channel-and-slot');
const SEGMENT_FUNCTION = placeholderOf('segment-customer');
const SEND_FUNCTION = placeholderOf('send-message');
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
}

export interface JourneyPlan {
  steps: PlannedStep[];
  /** What the walk could not simulate faithfully (unsupported states or rules), personal-data-free. */
  notes: string[];
}

/** Returns the message steps of a journey: the `step` objects of its PickChannelAndSlot states, in file order. */
export function messageSteps(definition: AslDefinition): Array<{ state: string; step: unknown }> {
  const found: Array<{ state: string; step: unknown }> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    const task = lambdaTask(state);
    if (task?.functionName === PICK_FUNCTION && task.payload.step !== undefined) {
      found.push({ state: name, step: task.payload.step });
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
        if (task?.functionName === SEGMENT_FUNCTION) {
          result = { ...segmentation, decidedAt: new Date(clock).toISOString() };
        } else if (task?.functionName === PICK_FUNCTION && payload?.step !== undefined) {
          const stepNotes: string[] = [];
          const parsed = JourneyStepSchema.safeParse(fillTemplate(payload.step, document, stepNotes));
          notes.push(...stepNotes.map((n) => `${name}: step ${n}`));
          if (!parsed.success) {
            notes.push(`${name}: the step in the ASL file is not valid, not simulated`);
            break;
          }
          const now = new Date(clock);
          const decision = decideStep({
            customer,
            segment,
            tone: segmentation.tone,
            step: parsed.data,
            policy,
            now,
            triggeredAt: at,
            sent,
            engagement: input.events ? (summariseBehaviour(input.events, now).engagementTimes ?? []) : [],
          });
          steps.push({
            state: name,
            step: parsed.data,
            segment: segment.id,
            decidedAt: now.toISOString(),
            decision,
            reasons: [...segmentation.reasons, ...decision.reasons],
          });
          if (decision.channel && decision.sendAt)
            sent.push({ at: decision.sendAt, channel: decision.channel });
          // The shape the Lambda returns, so the journey's Choice and Wait states read the same paths.
          result = {
            step: parsed.data,
            channel: decision.channel,
            fallbacks: decision.fallbacks,
            tone: decision.variant,
            locale: decision.locale,
            sendAt: decision.sendAt,
            localSendAt: decision.localSendAt,
            timezone: decision.timezone,
            costUsd: decision.costUsd,
            skipped: decision.skipped,
            reasons: decision.reasons,
          };
        }
        if (task?.functionName === SEND_FUNCTION) {
          // Nothing is sent: the provider is taken to accept the message, and the step's next
          // channel is what the journey falls back to if the message goes unread.
          const sending = fillTemplate(payload ?? {}, document, []) as {
            channel?: string;
            fallbacks?: string[];
          };
          const fallback = (sending.fallbacks ?? []).find((c) => c !== sending.channel) ?? null;
          result = { status: 'sent', channel: sending.channel, duplicate: false, fallback };
        }
        const selected = state.ResultSelector
          ? fillTemplate(state.ResultSelector, { Payload: result }, [])
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
