/**
 * Step Functions' status-change events on one machine: when a journey execution ends, the local
 * engine tells this router, which builds the event Step Functions publishes to EventBridge and
 * hands it to the handler the stack's rule invokes on AWS (only for the journeys' state machines,
 * as the rule matches them).
 */
import { EXECUTION_STATUS_CHANGE } from '#core/run-status.ts';
import type { ExecutionStatusChange } from '#handlers/record-run-status.ts';
import type { LocalExecution } from './journey-engine.ts';

/** A status-change event its handler failed on: kept for tests and the demo (on AWS it is retried, then dead-lettered). */
export interface ExecutionEventFailure {
  executionArn: string;
  error: string;
}

/** Returns the event Step Functions publishes when `execution` has ended, with its simulated stop time. */
export function executionStatusChangeEvent(
  execution: LocalExecution,
  where: { region: string; account: string },
): ExecutionStatusChange & Record<string, unknown> {
  if (execution.status === 'RUNNING') throw new Error(`${execution.executionArn} has not ended`);
  const stopDate = (execution.simulatedStopDate ?? execution.stopDate ?? new Date()).getTime();
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': EXECUTION_STATUS_CHANGE,
    source: 'aws.states',
    account: where.account,
    time: new Date(stopDate).toISOString(),
    region: where.region,
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      stopDate,
      input: execution.input,
    },
  };
}

export interface ExecutionStatusEventsOptions {
  /** The journeys' state machines: the rule's `stateMachineArn` filter. */
  journeyArns: ReadonlySet<string>;
  /** The record-run-status handler (given the EventBridge event). */
  handler: (event: unknown) => Promise<unknown>;
  region: string;
  account: string;
}

export class ExecutionStatusEvents {
  readonly failures: ExecutionEventFailure[] = [];
  readonly #options: ExecutionStatusEventsOptions;

  constructor(options: ExecutionStatusEventsOptions) {
    this.#options = options;
  }

  /** Delivers the event of an ended execution of a journey; a failure is recorded, never thrown into the engine. */
  async executionEnded(execution: LocalExecution): Promise<void> {
    if (!this.#options.journeyArns.has(execution.stateMachineArn)) return;
    try {
      await this.#options.handler(executionStatusChangeEvent(execution, this.#options));
    } catch (error) {
      this.failures.push({ executionArn: execution.executionArn, error: String(error) });
    }
  }
}
