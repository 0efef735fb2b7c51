/**
 * Schedules an erasure's second pass as a one-time EventBridge Scheduler schedule: `at(…)` in UTC,
 * deleted by the scheduler once it has run, retried for a day, then kept on the dead-letter queue.
 * The schedule's name is random (no customer id in a name a console lists); its input names the
 * customer, for the minutes until it runs.
 */
import { randomUUID } from 'node:crypto';
import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ErasurePassScheduler } from '#core/ports.ts';

export interface ErasurePassTarget {
  /** The stage's schedule group for erasure passes. */
  groupName: string;
  /** The second pass function (`erase-late-writes`). */
  functionArn: string;
  /** The role the scheduler assumes to invoke it (and to write dead letters). */
  roleArn: string;
  deadLetterQueueArn: string;
}

/** The second pass's event: the customer to erase again. */
export interface ErasurePassInput {
  customerId: string;
}

/** Returns the at() expression of a one-time schedule: whole seconds, UTC. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

export class SchedulerErasurePass implements ErasurePassScheduler {
  readonly #client: Pick<SchedulerClient, 'send'>;
  readonly #target: ErasurePassTarget;

  constructor(client: Pick<SchedulerClient, 'send'>, target: ErasurePassTarget) {
    this.#client = client;
    this.#target = target;
  }

  async scheduleSecondPass(customerId: string, at: Date): Promise<void> {
    const input: ErasurePassInput = { customerId };
    await this.#client.send(
      new CreateScheduleCommand({
        Name: `erasure-pass-${randomUUID()}`,
        GroupName: this.#target.groupName,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Description: 'Klantreis: second pass of a GDPR erasure',
        Target: {
          Arn: this.#target.functionArn,
          RoleArn: this.#target.roleArn,
          Input: JSON.stringify(input),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          DeadLetterConfig: { Arn: this.#target.deadLetterQueueArn },
        },
      }),
    );
  }
}
