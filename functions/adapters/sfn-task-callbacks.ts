import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { JourneyTaskCallbacks } from '#core/ports.ts';

/**
 * Step Functions' answers that mean "this Task no longer waits for you": its run was stopped, it
 * timed out, another caller completed it first (a repeated open, the Lambda and the feedback racing),
 * or the token is not one. Completing a callback is at-least-once, so these are expected, not errors.
 */
const NOT_WAITING = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** Completes `.waitForTaskToken` Tasks through the Step Functions API (SendTaskSuccess / SendTaskFailure). */
export class SfnTaskCallbacks implements JourneyTaskCallbacks {
  readonly #client: SFNClient;

  constructor(client: SFNClient) {
    this.#client = client;
  }

  async succeed(taskToken: string, output: unknown): Promise<boolean> {
    return this.#answered(() =>
      this.#client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async fail(taskToken: string, failure: { error: string; cause: string }): Promise<boolean> {
    return this.#answered(() =>
      this.#client.send(
        new SendTaskFailureCommand({ taskToken, error: failure.error, cause: failure.cause }),
      ),
    );
  }

  /** Returns true when the call completed the Task, false when the Task no longer waits. */
  async #answered(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      if (error instanceof Error && NOT_WAITING.has(error.name)) return false;
      throw error;
    }
  }
}
