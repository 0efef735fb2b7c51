import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionInputReader, JourneyStarter } from '#core/ports.ts';

/** Returns the ARN Step Functions gives the execution named `name` of the state machine. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * Starts journeys as Step Functions executions named after the run id, so the execution name is
 * the idempotency key: Step Functions refuses a second execution with the same name (for 90 days).
 *
 * A repeat with identical input while the first is still running is answered by Step Functions
 * with success and the same ARN, so it reports `alreadyStarted: false`; either way no second
 * execution exists.
 */
export class SfnJourneyStarter implements JourneyStarter, ExecutionInputReader {
  readonly #client: SFNClient;

  constructor(client: SFNClient) {
    this.#client = client;
  }

  async startJourney(request: {
    stateMachineArn: string;
    runId: string;
    input: unknown;
  }): Promise<{ executionArn: string; alreadyStarted: boolean }> {
    try {
      const result = await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: request.stateMachineArn,
          name: request.runId,
          input: JSON.stringify(request.input),
        }),
      );
      return {
        executionArn: result.executionArn ?? executionArnOf(request.stateMachineArn, request.runId),
        alreadyStarted: false,
      };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        return { executionArn: executionArnOf(request.stateMachineArn, request.runId), alreadyStarted: true };
      }
      throw error;
    }
  }

  /** DescribeExecution's input: tells a start whose name was taken whether that execution is its own. */
  async inputOf(executionArn: string): Promise<string | undefined> {
    try {
      const described = await this.#client.send(new DescribeExecutionCommand({ executionArn }));
      return described.input;
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }
}
