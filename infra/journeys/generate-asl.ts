/**
 * Turns a compact journey definition into the journey's Amazon States Language definition: one
 * `run-journey-step` Task per step, on the usual path Task → Wait → next Task; the rare outcomes are
 * errors the Task's Catch routes (a later slot, a run over early, a failure). Pure: data in, data out.
 */
import type { JourneyDefinition, JourneyStep } from './journey-definition.ts';

type State = Record<string, unknown>;
export interface AslDefinition {
  Comment: string;
  StartAt: string;
  TimeoutSeconds: number;
  States: Record<string, State>;
}

/** The journey step's ARN, a placeholder the stack and the local runtime fill. */
const FUNCTION_NAME = `\${RunJourneyStepFunctionArn}`;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const WAKE_AT = '$.journey.progress.wakeAt';
const DEFERRAL = '$.journey.deferral';
const DEFERRED_WAKE = '$.journey.deferral.wake.errorMessage';
const DONE = 'Done';
const HAND_OVER_FAILED = 'HandOverFailed';
const FAILED = 'Failed';

/** Lambda's own transient faults, the provider being down, and a send whose record is unsure: retried. */
const STEP_RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: ['Klantreis.ProviderUnavailable'],
    IntervalSeconds: 5,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 300,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: ['Klantreis.SendNotRecorded', 'Sandbox.Timedout', 'Lambda.Unknown'],
    IntervalSeconds: 2,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

const HAND_OVER_FAILED_RETRY = [
  STEP_RETRY[0],
  {
    ErrorEquals: ['States.TaskFailed'],
    IntervalSeconds: 5,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

const DEFER_COMMENT =
  'Klantreis.NotYet: its Cause (JSON) parsed; errorMessage is the wake the step asked for.';
const WAIT_AGAIN_COMMENT =
  'Until the wake the step asked for (its slot, or a few minutes when sending was busy); then the same step again, which keeps that slot.';

/** How one step appears in the ASL: its Task's name and what its config asks of the state machine. */
interface PlannedStep {
  step: JourneyStep;
  stepId: string;
  state: string;
  /** Waits for the email to be read (`followUpUnreadHours`): a callback Task and a read check Task. */
  readCheckHours: number | undefined;
  /** `precededBy.stepId`: the step the run goes to first when this one is too early (Klantreis.TooEarly). */
  precededBy: string | undefined;
  /** `remindOfMovedVisit`: the step the run goes back to when the visit moved (Klantreis.VisitMoved). */
  remindOfMovedVisit: string | undefined;
  handOver: boolean;
}

/** Returns the journey's ASL, or throws an error naming the journey and what does not fit together. */
export function generateAsl(definition: JourneyDefinition): AslDefinition {
  const planned = definition.steps.map(planStep);
  const problems = structureProblems(definition, planned);
  if (problems.length > 0) {
    throw new Error(`Journey ${definition.id}: ${problems.join('; ')}`);
  }
  const stateOf = new Map(planned.map((p) => [p.stepId, p.state]));
  const stateOfStep = (stepId: string) => stateOf.get(stepId) as string;
  const preceding = new Set(planned.flatMap((p) => (p.precededBy ? [p.precededBy] : [])));
  const entry = planned.find((p) => !preceding.has(p.stepId)) as PlannedStep;
  const waitName = (p: PlannedStep) => p.step.wait?.state ?? `WaitFor${p.state}`;

  const states: Record<string, State> = {};
  const put = (name: string, state: State) => {
    if (name in states) {
      throw new Error(
        `Journey ${definition.id}: two states named ${name}; give one its own name (a step's state or wait.state, or firstWakeWait.state)`,
      );
    }
    states[name] = state;
  };
  let startAt = entry.state;
  if (definition.plansFirstWake) {
    startAt = definition.firstWakeWait?.state ?? `WaitFor${entry.state}`;
    put(
      startAt,
      wait(
        definition.firstWakeWait?.comment ??
          "The run's first wake, planned by the starter in the customer's window; the step then goes at once.",
        WAKE_AT,
        entry.state,
      ),
    );
  }
  planned.forEach((p, index) => {
    const following = planned[index + 1];
    const last = following === undefined;
    const then: State = last ? { End: true } : { Next: waitName(following) };
    if (index > 0) {
      put(
        waitName(p),
        wait(
          p.step.wait?.comment ?? 'Until the wake the step before planned (its `next`).',
          WAKE_AT,
          p.state,
        ),
      );
    }
    const catches: State[] = [];
    if (p.readCheckHours !== undefined) {
      catches.push(caught(['States.Timeout', 'Klantreis.EmailNotRead'], '$.readCheck', `${p.state}Unread`));
    }
    if (p.precededBy) catches.push(caught(['Klantreis.TooEarly'], DEFERRAL, stateOfStep(p.precededBy)));
    put(
      p.state,
      task({
        definition,
        comment: p.step.comment ?? `The ${p.stepId} step.`,
        config: p.step.config,
        callback: p.readCheckHours,
        catches: [...catches, ...usualCatches(p, last)],
        then,
      }),
    );
    addDeferral(put, p);
    if (p.readCheckHours !== undefined) {
      const { precededBy: _precededBy, ...config } = p.step.config;
      const readCheck: PlannedStep = { ...p, state: `${p.state}Unread`, precededBy: undefined };
      put(
        readCheck.state,
        task({
          definition,
          comment: p.step.readCheck?.comment ?? `The ${p.stepId} step's read check: the supporting channel.`,
          config: { ...config, readCheck: true },
          readCheckFailed: true,
          catches: usualCatches(readCheck, last),
          then,
        }),
      );
      addDeferral(put, readCheck);
    }
    if (p.remindOfMovedVisit) {
      const target = stateOfStep(p.remindOfMovedVisit);
      put('RemindOfMovedVisit', {
        Type: 'Pass',
        Comment: "Klantreis.VisitMoved: its Cause (JSON) parsed; errorMessage is the new reminder's slot.",
        Parameters: { 'wake.$': `States.StringToJson(${DEFERRAL}.Cause)` },
        ResultPath: DEFERRAL,
        Next: `WaitForMoved${target}`,
      });
      put(
        `WaitForMoved${target}`,
        wait(
          "Until the reminder's slot for the visit's new time; then the reminder again (one per visit: its start is the send's occurrence).",
          DEFERRED_WAKE,
          target,
        ),
      );
    }
  });
  // Only a journey whose run can end before its last step has a Done (Step Functions refuses a state nothing reaches).
  if (Object.values(states).some((state) => ((state.Catch ?? []) as State[]).some((c) => c.Next === DONE))) {
    put(DONE, {
      Type: 'Succeed',
      Comment:
        definition.doneComment ??
        'Goal reached, or handed over to a person before the last step (Klantreis.RunEnded): the conversation says which.',
    });
  }
  put(HAND_OVER_FAILED, handOverFailed(definition));
  put(FAILED, {
    Type: 'Fail',
    Comment: 'A step failed; the conversation says which, and a person has taken over.',
    Error: 'Klantreis.JourneyStepFailed',
    Cause: "A journey step failed after its retries: see the run's conversation.",
  });
  return {
    Comment: definition.comment,
    StartAt: startAt,
    TimeoutSeconds: definition.timeoutDays * 24 * 3600,
    States: states,
  };
}

/** The Task state name a step config gets by default: `first-reminder` → `FirstReminder`, a hand-over → `HandOver<Reason>`. */
export function defaultStateName(config: Record<string, unknown>): string {
  if (typeof config.handOver === 'string') return `HandOver${pascal(config.handOver)}`;
  return pascal(String(config.stepId));
}

function planStep(step: JourneyStep): PlannedStep {
  const { config } = step;
  const precededBy = config.precededBy as { stepId?: unknown } | undefined;
  return {
    step,
    stepId: String(config.stepId),
    state: step.state ?? defaultStateName(config),
    readCheckHours: typeof config.followUpUnreadHours === 'number' ? config.followUpUnreadHours : undefined,
    precededBy: typeof precededBy?.stepId === 'string' ? precededBy.stepId : undefined,
    remindOfMovedVisit: typeof config.remindOfMovedVisit === 'string' ? config.remindOfMovedVisit : undefined,
    handOver: typeof config.handOver === 'string',
  };
}

function structureProblems(definition: JourneyDefinition, planned: readonly PlannedStep[]): string[] {
  const problems: string[] = [];
  const stepIds = planned.map((p) => p.stepId);
  planned.forEach((p, index) => {
    const at = `step ${index + 1} (${p.stepId})`;
    if (typeof p.step.config.stepId !== 'string')
      problems.push(`step ${index + 1}: its config has no stepId`);
    if (p.precededBy) {
      const position = stepIds.indexOf(p.precededBy);
      // The preceding step's Task wakes this one: it stands right before it.
      if (position !== index - 1) {
        problems.push(`${at}: precededBy.stepId "${p.precededBy}" must be the step right before it`);
      }
    }
    if (p.remindOfMovedVisit && !stepIds.slice(0, index).includes(p.remindOfMovedVisit)) {
      problems.push(`${at}: remindOfMovedVisit "${p.remindOfMovedVisit}" must be an earlier step`);
    }
    if (index === 0 && p.step.wait) problems.push(`${at}: the first step has no wait before it`);
    if (p.step.readCheck && p.readCheckHours === undefined) {
      problems.push(`${at}: readCheck needs followUpUnreadHours in its config`);
    }
  });
  const duplicates = stepIds.filter((id, index) => stepIds.indexOf(id) !== index);
  if (duplicates.length > 0) problems.push(`step ids used twice: ${[...new Set(duplicates)].join(', ')}`);
  for (const field of ['firstWake', 'firstWakeWait'] as const) {
    if (definition[field] && !definition.plansFirstWake) {
      problems.push(`${field} is only for a journey with plansFirstWake: true`);
    }
  }
  return problems;
}

function usualCatches(p: PlannedStep, last: boolean): State[] {
  const catches: State[] = [];
  // A hand-over never waits for a slot.
  if (!p.handOver) catches.push(caught(['Klantreis.NotYet'], DEFERRAL, `Defer${p.state}`));
  if (p.remindOfMovedVisit) catches.push(caught(['Klantreis.VisitMoved'], DEFERRAL, 'RemindOfMovedVisit'));
  // The last step ends the run with its own result instead.
  if (!last) catches.push(caught(['Klantreis.RunEnded'], '$.ended', DONE));
  catches.push(caught(['States.ALL'], '$.failure', HAND_OVER_FAILED));
  return catches;
}

function addDeferral(put: (name: string, state: State) => void, p: PlannedStep): void {
  if (p.handOver) return;
  put(`Defer${p.state}`, {
    Type: 'Pass',
    Comment: DEFER_COMMENT,
    Parameters: { 'wake.$': `States.StringToJson(${DEFERRAL}.Cause)` },
    ResultPath: DEFERRAL,
    Next: `WaitAgain${p.state}`,
  });
  put(`WaitAgain${p.state}`, wait(WAIT_AGAIN_COMMENT, DEFERRED_WAKE, p.state));
}

function task(input: {
  definition: JourneyDefinition;
  comment: string;
  config: Record<string, unknown>;
  /** The callback form: the Task waits up to these hours for its token. */
  callback?: number | undefined;
  readCheckFailed?: true;
  catches: State[];
  then: State;
}): State {
  const callback = input.callback !== undefined;
  return {
    Type: 'Task',
    Comment: input.comment,
    Resource: callback ? `${LAMBDA_INVOKE}.waitForTaskToken` : LAMBDA_INVOKE,
    Parameters: {
      FunctionName: FUNCTION_NAME,
      Payload: {
        ...runPayload(input.definition.id),
        step: input.config,
        ...(callback ? { 'taskToken.$': '$$.Task.Token' } : {}),
        ...(input.readCheckFailed ? { 'readCheckFailed.$': '$.readCheck' } : {}),
      },
    },
    ...(callback ? { TimeoutSeconds: (input.callback as number) * 3600 } : {}),
    ResultSelector: { 'progress.$': callback ? '$' : '$.Payload' },
    ResultPath: '$.journey',
    Retry: STEP_RETRY,
    Catch: input.catches,
    ...input.then,
  };
}

function handOverFailed(definition: JourneyDefinition): State {
  return {
    Type: 'Task',
    Comment:
      'A step failed for good: the failure (its error name) goes into the conversation and, unless the goal is reached, a person takes over (reason failed); then the run fails, so the failed-runs alarm fires.',
    Resource: LAMBDA_INVOKE,
    Parameters: {
      FunctionName: FUNCTION_NAME,
      Payload: {
        ...runPayload(definition.id),
        'failure.$': '$.failure',
        step: { stepId: 'hand-over-failed', handOver: 'failed' },
      },
    },
    ResultPath: null,
    Retry: HAND_OVER_FAILED_RETRY,
    Next: FAILED,
  };
}

function runPayload(journeyId: string): State {
  return {
    'runId.$': '$$.Execution.Name',
    journeyId,
    'customerId.$': '$.customerId',
    'subject.$': '$.subject',
    'journey.$': '$.journey',
  };
}

function wait(comment: string, timestampPath: string, next: string): State {
  return { Type: 'Wait', Comment: comment, TimestampPath: timestampPath, Next: next };
}

function caught(errors: string[], resultPath: string, next: string): State {
  return { ErrorEquals: errors, ResultPath: resultPath, Next: next };
}

function pascal(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
