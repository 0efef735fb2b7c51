/**
 * DynamoDB on one machine: dynalite, in memory, in this process. Binds to 127.0.0.1 only;
 * port 0 picks a free port. dynalite lacks TransactWriteItems (added here by
 * `dynamodb-transactions.ts`) and UpdateTimeToLive and never expires items, so the table gets no TTL
 * setting here (the repository filters expired bodies).
 */
// First: dynalite's store keeps only the items (see the module).
import './dynalite-store.ts';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tableDesign } from '#catalog/table-design.ts';
import { closableListener } from '../in-process-http.ts';
import { addTransactWriteItems } from './dynamodb-transactions.ts';
import { closeServer, listenLocal } from './server-lifecycle.ts';

export interface RunningDynamoDb {
  /** e.g. `http://127.0.0.1:49152`, for `KLANTREIS_DYNAMODB_ENDPOINT` or `createDynamoDbClient`. */
  endpoint: string;
  /** The server's request listener: the runtime's own clients call it in process (`in-process-http.ts`). */
  listener: RequestListener;
  stop(): Promise<void>;
}

/** Starts an in-memory DynamoDB and returns its endpoint. */
export async function startDynamoDb(options: { port?: number } = {}): Promise<RunningDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  addTransactWriteItems(server);
  const address: AddressInfo = await listenLocal(server, options.port ?? 0);
  const [serverListener] = server.listeners('request') as RequestListener[];
  if (!serverListener) throw new Error('dynamodb emulator: no request listener');
  const inProcess = closableListener(serverListener);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    listener: inProcess.listener,
    stop: async () => {
      await inProcess.close();
      await closeServer(server);
    },
  };
}

/**
 * Creates the table exactly as `functions/catalog/table-design.ts` describes it (on-demand, gsi1 projecting
 * all attributes) and returns once it is ACTIVE. An existing table is left as it is.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, gsi1 } = tableDesign;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.indexName,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  // Even with createTableMs 0 the table turns ACTIVE on a later tick.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
