/**
 * Where a run is: each step visit writes its step and the run's next wake (and the experiment arm it
 * assigned) onto the run item, with a condition that never recreates a run erased meanwhile. Apart from
 * `runs.ts`, so the journey step carries only this of the run item's access.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RunProgressRecorder } from '#core/ports.ts';
import type { DynamoRepositoryOptions } from './stage-table.ts';
import { isConditionalCheckFailed } from './table-items.ts';
import { isoKeyTime, runKey } from './table-keys.ts';

export class DynamoRunProgress implements RunProgressRecorder {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string, _options: DynamoRepositoryOptions = {}) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async recordRunProgress(
    customerId: string,
    runId: string,
    progress: { currentStep: string; nextWakeAt: string; experiment?: { id: string; arm: string } },
  ): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: runKey(customerId, runId),
          UpdateExpression: `SET currentStep = :step, nextWakeAt = :wake${progress.experiment ? ', experiment = :experiment' : ''}`,
          // Never recreates a run erased meanwhile.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':step': progress.currentStep,
            ':wake': isoKeyTime(progress.nextWakeAt),
            ...(progress.experiment
              ? { ':experiment': { id: progress.experiment.id, arm: progress.experiment.arm } }
              : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
