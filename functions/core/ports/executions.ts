/** The journeys' executions: starting them, reading and stopping them, completing their waiting Tasks (Step Functions on AWS). */

/** Completing a journey Task that waits for a callback (`.waitForTaskToken`): Step Functions on AWS. */
export interface JourneyTaskCallbacks {
  /**
   * Completes the waiting Task with `output` as its result. Returns false when the Task no longer
   * waits (its run stopped, it timed out, it was completed already) or the token is not valid.
   */
  succeed(taskToken: string, output: unknown): Promise<boolean>;
  /** Fails the waiting Task with this error name and a personal-data-free cause; returns as `succeed`. */
  fail(taskToken: string, failure: { error: string; cause: string }): Promise<boolean>;
}

export interface JourneyStarter {
  /**
   * Starts an execution named `runId`; the same name and input while it runs answers that execution
   * again (not `alreadyStarted`), a closed one or another input reports `alreadyStarted`.
   */
  startJourney(input: {
    stateMachineArn: string;
    runId: string;
    input: unknown;
  }): Promise<{ executionArn: string; alreadyStarted: boolean }>;
}

export interface ExecutionInputReader {
  /** Returns the input (JSON) an existing execution was started with, or undefined when there is none. */
  inputOf(executionArn: string): Promise<string | undefined>;
}

/** Step Functions' own view of a run: its status now (the run item follows it once the execution ends). */
export interface ExecutionView {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  startDate?: string;
  stopDate?: string;
  /** The state the execution is in (the last state entered), while it runs. */
  currentState?: string;
  /** Error name only: a cause may carry data from the execution. */
  error?: string;
}

export interface JourneyExecutions {
  /** Returns the execution's status, or undefined when Step Functions does not know it. */
  describe(executionArn: string): Promise<ExecutionView | undefined>;
  /** Stops a running execution; an unknown or finished one is left as it is. */
  stop(executionArn: string, reason: string): Promise<void>;
}
