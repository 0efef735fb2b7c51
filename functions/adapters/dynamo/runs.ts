/**
 * A customer's journey runs in the stage table, found by their id alone through gsi1, with their
 * status and end written by conditional updates that never recreate an erased run (a step visit's
 * progress: `run-progress.ts`).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type {
  JourneyRun,
  JourneyRunStatus,
  RunEnd,
  RunLookup,
  RunRepository,
  RunStatusRepository,
} from '#core/ports.ts';
import { RunOutcomeSchema } from '#core/run-outcome-schema.ts';
import { Entity, StageTableRepository } from './stage-table.ts';
import { isConditionalCheckFailed, itemByGsi1, parseItem, type StoredItem } from './table-items.ts';
import { customerPartitionKey, isoKeyTime, runIndexKey, runKey, SK_PREFIX } from './table-keys.ts';

const RunStatusSchema = z.enum(['running', 'completed', 'goal-reached', 'failed', 'aborted', 'timed-out']);

/**
 * The run item as stored (zod strips the key attributes on parse); the export
 * (`personal-data.ts`) reads it too.
 */
export const RunItemSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  journeyId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  subjectId: z.optional(z.string()),
  executionArn: z.string(),
  status: RunStatusSchema,
  startedAt: z.string().check(z.minLength(1)),
  endedAt: z.optional(z.string()),
  currentStep: z.optional(z.string()),
  nextWakeAt: z.optional(z.string()),
  experiment: z.optional(z.object({ id: z.string(), arm: z.string() })),
  outcome: z.optional(RunOutcomeSchema),
});

/** The run item, found by the run's id alone through gsi1. */
export function runItem(run: JourneyRun): StoredItem {
  return { ...runKey(run.customerId, run.runId), ...runIndexKey(run.runId), entity: Entity.run, ...run };
}

export class DynamoRuns
  extends StageTableRepository
  implements RunRepository, RunLookup, RunStatusRepository
{
  async listRuns(customerId: string): Promise<JourneyRun[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': customerPartitionKey(customerId), ':prefix': SK_PREFIX.run },
    });
    return items.map((item) => parseItem(RunItemSchema, item, 'run'));
  }

  async putRun(run: JourneyRun): Promise<void> {
    await this.table.put(runItem(run));
  }

  /** Reads through gsi1, so a run written a moment ago may not be visible yet (GSIs are eventually consistent). */
  async getRun(runId: string): Promise<JourneyRun | undefined> {
    const item = await itemByGsi1(this.doc, this.tableName, runIndexKey(runId));
    return item && parseItem(RunItemSchema, item, 'run');
  }

  async setRunStatus(customerId: string, runId: string, status: JourneyRunStatus): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: 'SET #status = :status',
          // Without it, a status for an unknown run would create a stub item.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': RunStatusSchema.parse(status) },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new Error(`journey run ${runId} not found`);
      throw error;
    }
  }

  /** The rule of `endReplaces` (`#core/run-status.ts`) as one conditional update. */
  async recordRunEnded(customerId: string, runId: string, end: RunEnd): Promise<'recorded' | 'unchanged'> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: 'SET #status = :status, endedAt = :endedAt',
          // attribute_exists: an end never creates a run (one erased meanwhile stays erased).
          ConditionExpression:
            'attribute_exists(pk) AND #status <> :goalReached AND (attribute_not_exists(endedAt) OR endedAt < :endedAt OR (endedAt = :endedAt AND #status < :status))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': RunStatusSchema.parse(end.status),
            ':endedAt': isoKeyTime(end.endedAt),
            ':goalReached': 'goal-reached',
          },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'unchanged';
      throw error;
    }
  }
}
