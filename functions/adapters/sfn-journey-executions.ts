import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionView, JourneyExecutions } from '#core/ports.ts';

const isoOf = (date: Date | undefined) => (date ? date.toISOString() : undefined);

/**
 * Reads and stops journey executions through the Step Functions API. The current state is the
 * last `…StateEntered` event of the history, read newest first: one short page is enough.
 */
export class SfnJourneyExecutions implements JourneyExecutions {
  readonly #client: SFNClient;

  constructor(client: SFNClient) {
    this.#client = client;
  }

  async describe(executionArn: string): Promise<ExecutionView | undefined> {
    let described: DescribeExecutionCommandOutput;
    try {
      described = await this.#client.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
    const view: ExecutionView = {
      status: (described.status ?? 'RUNNING') as ExecutionView['status'],
    };
    const startDate = isoOf(described.startDate);
    const stopDate = isoOf(described.stopDate);
    if (startDate) view.startDate = startDate;
    if (stopDate) view.stopDate = stopDate;
    if (described.error) view.error = described.error;
    if (view.status === 'RUNNING') {
      const history = await this.#client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          maxResults: 25,
          includeExecutionData: false,
        }),
      );
      const entered = history.events?.find((event) => event.stateEnteredEventDetails?.name);
      if (entered?.stateEnteredEventDetails?.name) view.currentState = entered.stateEnteredEventDetails.name;
    }
    return view;
  }

  async stop(executionArn: string, reason: string): Promise<void> {
    try {
      await this.#client.send(
        new StopExecutionCommand({ executionArn, error: 'Klantreis.Stopped', cause: reason }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return;
      throw error;
    }
  }
}
