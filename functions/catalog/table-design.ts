/**
 * The single DynamoDB table's key schema, shared by the CDK stack, the local runtime's
 * table creation and the repository adapter, so the three can never disagree.
 * The access patterns and their key builders live in `functions/adapters/dynamo/table-keys.ts`.
 */
export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Generic inverted index for lookups by a second identity (a run id, a due date). */
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Epoch seconds; message bodies and idempotency records expire, metadata stays. */
  timeToLiveAttribute: 'expiresAt',
} as const;
