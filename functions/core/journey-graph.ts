/**
 * A journey drawn from its state machine: the states of its ASL definition, the edges between them
 * (`Next`, `Default`, each Choice, each `Catch` with the errors it routes, each `Retry` as a loop back
 * with its errors) and, on the Tasks that run a journey step, that step's config as the ASL writes it
 * (template, channels, tone, conditions, experiment…). Pure: the definition comes in as parsed JSON.
 *
 * A running run's place in the graph is its **position**: the step it last ran and how that visit
 * ended (`next`: waiting for the step after it; `deferred`: waiting to visit the same step again;
 * `callback`: the Task itself waits for its message to be read; `visit-moved`: back to the reminder).
 * The step records the position (it knows its step, not the ASL's state names); `stateAtPosition`
 * resolves it to the state the run waits in, by the same edges the run follows.
 */
import { NOT_YET, VISIT_MOVED } from './journey-control.ts';
import { positionOfKey, type RunExit, type RunPosition, START_POSITION, stepKeyOf } from './run-positions.ts';

export {
  positionKey,
  positionOfKey,
  RUN_EXITS,
  type RunExit,
  type RunPosition,
  START_POSITION,
  stepKeyOf,
} from './run-positions.ts';

export type AslStateType = 'Task' | 'Wait' | 'Pass' | 'Choice' | 'Succeed' | 'Fail' | 'Map' | 'Parallel';

export type JourneyStepKind = 'message' | 'read-check' | 'hand-over';

/** The journey step a Task runs (`Parameters.Payload.step`), keyed as the step records its position. */
export interface GraphStep {
  /** `stepId`, or `stepId#read-check` for the read check that re-visits a step (`stepKeyOf`). */
  key: string;
  kind: JourneyStepKind;
  /** The step's config as written in the ASL (fields chosen at run time keep their `.$` name). */
  config: Record<string, unknown>;
}

export interface GraphState {
  name: string;
  type: AslStateType;
  comment?: string;
  /** Set on a Task that runs a journey step. */
  step?: GraphStep;
  /** A Task that waits for its callback (`.waitForTaskToken`): the run can wait inside it. */
  waitsForCallback: boolean;
  /** The run ends here (`End`, `Succeed`, `Fail`). */
  terminal: boolean;
  /** A Map or Parallel's inner states are drawn flat, each naming the state that holds it. */
  parent?: string;
}

export type GraphEdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'retry';

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** The errors a Catch or Retry matches. */
  errors?: string[];
}

export interface JourneyGraph {
  journeyId: string;
  startAt: string;
  comment?: string;
  states: GraphState[];
  edges: GraphEdge[];
}

interface AslDefinition {
  StartAt?: unknown;
  Comment?: unknown;
  States?: Record<string, AslState>;
}
interface AslState {
  Type?: unknown;
  Comment?: unknown;
  Next?: unknown;
  End?: unknown;
  Default?: unknown;
  Resource?: unknown;
  Choices?: Array<{ Next?: unknown }>;
  Catch?: Array<{ ErrorEquals?: unknown; Next?: unknown }>;
  Retry?: Array<{ ErrorEquals?: unknown }>;
  Parameters?: { Payload?: { step?: unknown } };
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
}

const STATE_TYPES: readonly string[] = [
  'Task',
  'Wait',
  'Pass',
  'Choice',
  'Succeed',
  'Fail',
  'Map',
  'Parallel',
];

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function graphStepOf(payloadStep: unknown): GraphStep | undefined {
  if (payloadStep === null || typeof payloadStep !== 'object') return undefined;
  const config = payloadStep as Record<string, unknown>;
  if (typeof config.stepId !== 'string') return undefined;
  const readCheck = config.readCheck === true;
  const kind: JourneyStepKind = 'handOver' in config ? 'hand-over' : readCheck ? 'read-check' : 'message';
  return { key: stepKeyOf({ stepId: config.stepId, readCheck }), kind, config };
}

function addStates(
  definition: AslDefinition,
  states: GraphState[],
  edges: GraphEdge[],
  where: string,
  parent?: string,
): void {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    const type = String(state.Type);
    if (!STATE_TYPES.includes(type)) throw new Error(`${where}: state ${name} has an unknown Type ${type}`);
    const step = type === 'Task' ? graphStepOf(state.Parameters?.Payload?.step) : undefined;
    states.push({
      name,
      type: type as AslStateType,
      ...(typeof state.Comment === 'string' ? { comment: state.Comment } : {}),
      ...(step ? { step } : {}),
      waitsForCallback: typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken'),
      terminal: state.End === true || type === 'Succeed' || type === 'Fail',
      ...(parent ? { parent } : {}),
    });
    if (typeof state.Next === 'string') edges.push({ from: name, to: state.Next, kind: 'next' });
    for (const choice of state.Choices ?? []) {
      if (typeof choice.Next === 'string') edges.push({ from: name, to: choice.Next, kind: 'choice' });
    }
    if (typeof state.Default === 'string') edges.push({ from: name, to: state.Default, kind: 'default' });
    for (const retry of state.Retry ?? []) {
      edges.push({ from: name, to: name, kind: 'retry', errors: stringsOf(retry.ErrorEquals) });
    }
    for (const caught of state.Catch ?? []) {
      if (typeof caught.Next === 'string') {
        edges.push({ from: name, to: caught.Next, kind: 'catch', errors: stringsOf(caught.ErrorEquals) });
      }
    }
    for (const inner of [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]) {
      if (inner) addStates(inner, states, edges, where, name);
    }
  }
}

/**
 * Returns the graph of a journey's definition (parsed ASL JSON). Throws naming the journey when a
 * state is of an unknown type, an edge leads to no state, or two Tasks run the same step key (a
 * position would then be ambiguous).
 */
export function journeyGraphOf(journeyId: string, definition: unknown): JourneyGraph {
  const asl = definition as AslDefinition;
  if (typeof asl?.StartAt !== 'string' || !asl.States) {
    throw new Error(`journey ${journeyId}: not a state machine definition (StartAt and States)`);
  }
  const states: GraphState[] = [];
  const edges: GraphEdge[] = [];
  addStates(asl, states, edges, `journey ${journeyId}`);
  const names = new Set(states.map((s) => s.name));
  for (const edge of edges) {
    if (!names.has(edge.to))
      throw new Error(`journey ${journeyId}: ${edge.from} leads to no state ${edge.to}`);
  }
  const seen = new Map<string, string>();
  for (const state of states) {
    if (!state.step) continue;
    const other = seen.get(state.step.key);
    if (other)
      throw new Error(`journey ${journeyId}: ${other} and ${state.name} both run step ${state.step.key}`);
    seen.set(state.step.key, state.name);
  }
  return {
    journeyId,
    startAt: asl.StartAt,
    ...(typeof asl.Comment === 'string' ? { comment: asl.Comment } : {}),
    states,
    edges,
  };
}

/** The error each exit leaves its Task by (its Catch leads on). */
const EXIT_ERROR: Partial<Record<RunExit, string>> = { deferred: NOT_YET, 'visit-moved': VISIT_MOVED };

/**
 * Returns the name of the state a run at `position` waits in: the Task's `Next` (or, for an exit
 * by a control error, the Catch that routes it), followed through Pass states, which take no time;
 * a callback waits in the Task itself. Undefined when the graph has no such step or path.
 */
export function stateAtPosition(graph: JourneyGraph, position: RunPosition): string | undefined {
  const byName = new Map(graph.states.map((s) => [s.name, s]));
  let name: string | undefined;
  if (position.stepKey === START_POSITION.stepKey) {
    name = graph.startAt;
  } else {
    const task = graph.states.find((s) => s.step?.key === position.stepKey);
    if (!task) return undefined;
    if (position.exit === 'callback') return task.name;
    const error = EXIT_ERROR[position.exit];
    name = graph.edges.find(
      (e) =>
        e.from === task.name &&
        (error ? e.kind === 'catch' && (e.errors ?? []).includes(error) : e.kind === 'next'),
    )?.to;
  }
  for (let hops = 0; name && byName.get(name)?.type === 'Pass' && hops < graph.states.length; hops += 1) {
    const from = name;
    name = graph.edges.find((e) => e.from === from && e.kind === 'next')?.to;
  }
  return name;
}

/**
 * Returns the running runs per state, from the counts per position (`positionKey` → count): each
 * position resolved to its state. A position this graph has no state for (a step renamed while runs
 * were at it) is counted under `unplaced`, so the totals still add up.
 */
export function countsByState(
  graph: JourneyGraph,
  counts: Readonly<Record<string, number>>,
): { byState: Record<string, number>; unplaced: number } {
  const byState: Record<string, number> = Object.fromEntries(graph.states.map((s) => [s.name, 0]));
  let unplaced = 0;
  for (const [key, count] of Object.entries(counts)) {
    if (count <= 0) continue;
    const position = positionOfKey(key);
    const state = position && stateAtPosition(graph, position);
    if (state !== undefined && state in byState) byState[state] = (byState[state] ?? 0) + count;
    else unplaced += count;
  }
  return { byState, unplaced };
}
