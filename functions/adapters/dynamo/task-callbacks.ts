/**
 * The callbacks of journey Tasks waiting for an email to be read (`.waitForTaskToken`), kept on the
 * email's send record (attribute `taskCallback`, key and access pattern in `table-keys.ts`). Its own
 * adapter, not the repository's: only the functions that hold or complete callbacks carry it.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryStatus, Engagement, TaskCallbackHold, TaskCallbackRepository } from '#core/ports.ts';
import { sendKey } from './table-keys.ts';

const isConditionalCheckFailed = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Returns the callback stored on an item, if it has a well-formed one. */
function holdOf(value: unknown): TaskCallbackHold | undefined {
  const hold = value as Partial<TaskCallbackHold> | undefined;
  return typeof hold?.taskToken === 'string' && hold.taskToken && typeof hold.output === 'string'
    ? { taskToken: hold.taskToken, output: hold.output }
    : undefined;
}

export class DynamoTaskCallbacks implements TaskCallbackRepository {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  async holdTaskCallback(
    customerId: string,
    key: string,
    hold: TaskCallbackHold,
  ): Promise<{ deliveryStatus?: DeliveryStatus; engagement?: Engagement } | undefined> {
    try {
      const result = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: sendKey(customerId, key),
          UpdateExpression: 'SET taskCallback = :hold',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':hold': { taskToken: hold.taskToken, output: hold.output } },
          // The item as this write left it: feedback recorded before it shows here.
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = result.Attributes ?? {};
      return {
        ...(typeof item.deliveryStatus === 'string'
          ? { deliveryStatus: item.deliveryStatus as DeliveryStatus }
          : {}),
        ...(typeof item.engagement === 'string' ? { engagement: item.engagement as Engagement } : {}),
      };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /** Strongly consistent: the feedback handler reads it after recording the outcome (see `holdTaskCallback`). */
  async getTaskCallback(customerId: string, key: string): Promise<TaskCallbackHold | undefined> {
    const result = await this.#doc.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: sendKey(customerId, key),
        ConsistentRead: true,
        ProjectionExpression: 'taskCallback',
      }),
    );
    return holdOf(result.Item?.taskCallback);
  }

  async releaseTaskCallback(customerId: string, key: string, taskToken: string): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: sendKey(customerId, key),
          UpdateExpression: 'REMOVE taskCallback',
          ConditionExpression: 'taskCallback.taskToken = :token',
          ExpressionAttributeValues: { ':token': taskToken },
        }),
      );
    } catch (error) {
      // Already released (a repeated event), or another Task's callback: not this caller's to clear.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
