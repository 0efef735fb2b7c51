/**
 * The start of a run in the stage table: the run item is the claim on its id, so of identical starts
 * one conditional write lets exactly one through; it keeps the execution input until the start is
 * confirmed, so a request after a crash in between can finish the same start.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { JourneyRun, RunClaimResult, RunStartRepository } from '#core/ports.ts';
import { RunItemSchema, runItem } from './runs.ts';
import { StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, parseItem } from './table-items.ts';
import { runKey } from './table-keys.ts';

/** The run item with its start's execution input, which only the start reads. */
const ClaimedRunItemSchema = z.extend(RunItemSchema, { pendingInput: z.optional(z.string()) });

export class DynamoRunStarts extends StageTableRepository implements RunStartRepository {
  async claimRun(run: JourneyRun, executionInput: string): Promise<RunClaimResult> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: definedOnly({ ...runItem(run), pendingInput: executionInput }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.table.get(runKey(run.customerId, run.runId));
    // Only possible if the customer was erased between the failed put and this read.
    if (!existing) throw new Error('run claim lost: the run vanished after a failed claim, retry');
    return { claimed: false, existing: definedOnly(parseItem(ClaimedRunItemSchema, existing, 'run')) };
  }

  async confirmRunStarted(customerId: string, runId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: 'REMOVE pendingInput',
          // Never recreate a run erased meanwhile.
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async releaseRunClaim(customerId: string, runId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: runKey(customerId, runId),
          ConditionExpression: 'attribute_exists(pendingInput)',
        }),
      );
    } catch (error) {
      // Confirmed meanwhile: a started run is never released.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
