/**
 * The local runtime's in-process transport: a client that calls the emulator's request listener
 * directly gets the same answers — items, errors and their fields — as one that goes over HTTP.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDynamoDbClient,
  createDynamoDbDocumentClient,
  createSfnClient,
} from '#adapters/aws-clients.ts';
import { createTable, type RunningDynamoDb, startDynamoDb } from '#infra/local/emulators/dynamodb.ts';
import { directJsonTransport, inProcessTransport } from '#infra/local/in-process-http.ts';

const TABLE = 'klantreis-in-process';
let dynamo: RunningDynamoDb;
let clients: DynamoDBClient[];
let overHttp: DynamoDBDocumentClient;
let inProcess: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynamoDb({ port: 0 });
  const http = createDynamoDbClient({ endpoint: dynamo.endpoint });
  const direct = createDynamoDbClient({
    endpoint: dynamo.endpoint,
    ...directJsonTransport(dynamo.call),
  });
  clients = [http, direct];
  await createTable(direct, TABLE);
  overHttp = createDynamoDbDocumentClient({ client: http });
  inProcess = createDynamoDbDocumentClient({ client: direct });
});

afterAll(async () => {
  for (const client of clients ?? []) client.destroy();
  await dynamo?.stop();
});

/** What a caller sees of a call: its result without request ids, or its error's name, message and fields. */
async function seen(call: Promise<unknown>): Promise<unknown> {
  try {
    const { $metadata, ...result } = (await call) as { $metadata: { httpStatusCode?: number } };
    return { status: $metadata.httpStatusCode, result };
  } catch (error) {
    const {
      $metadata,
      $response: _response,
      ...fields
    } = error as Record<string, unknown> & {
      $metadata: { httpStatusCode?: number };
    };
    return { status: $metadata.httpStatusCode, name: (error as Error).name, ...fields };
  }
}

describe('in-process DynamoDB calls', () => {
  it('write and read the table the HTTP endpoint serves', async () => {
    await inProcess.send(new PutCommand({ TableName: TABLE, Item: { pk: 'A', sk: 'A', n: 1, tags: ['x'] } }));
    const get = new GetCommand({ TableName: TABLE, Key: { pk: 'A', sk: 'A' }, ConsistentRead: true });
    expect((await overHttp.send(get)).Item).toEqual({ pk: 'A', sk: 'A', n: 1, tags: ['x'] });
    expect(await seen(inProcess.send(get))).toEqual(await seen(overHttp.send(get)));
    const query = new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'A' },
    });
    expect(await seen(inProcess.send(query))).toEqual(await seen(overHttp.send(query)));
  });

  it('fail a refused condition, an invalid request and a cancelled transaction as over HTTP', async () => {
    const refused = new UpdateCommand({
      TableName: TABLE,
      Key: { pk: 'A', sk: 'A' },
      UpdateExpression: 'SET n = :n',
      ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeValues: { ':n': 2 },
    });
    const invalid = new UpdateCommand({
      TableName: TABLE,
      Key: { pk: 'A', sk: 'A' },
      UpdateExpression: 'SET n = :missing',
    });
    const cancelled = new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: TABLE, Item: { pk: 'B', sk: 'B' } } },
        { Update: refused.input as never },
      ],
    });
    for (const command of [refused, invalid, cancelled]) {
      const direct = await seen(inProcess.send(command as never));
      expect(direct).toMatchObject({ status: 400 });
      expect(direct).toEqual(await seen(overHttp.send(command as never)));
    }
    expect(await seen(inProcess.send(cancelled as never))).toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });
    // The transaction applied nothing.
    expect(
      (
        await inProcess.send(
          new GetCommand({ TableName: TABLE, Key: { pk: 'B', sk: 'B' }, ConsistentRead: true }),
        )
      ).Item,
    ).toBeUndefined();
  });
});

describe('in-process Step Functions calls', () => {
  it('answer through the listener with the service error name', async () => {
    const { startStepFunctionsApi } = await import('#infra/local/stepfunctions-api.ts');
    const { JourneyEngine } = await import('#infra/local/journey-engine.ts');
    const { SimulatedClock } = await import('#infra/local/simulated-clock.ts');
    const engine = new JourneyEngine({
      stateMachines: new Map(),
      lambdas: new Map(),
      dynamodb: clients[1] as DynamoDBClient,
      clock: new SimulatedClock(new Date('2026-12-01T07:00:00Z')),
    });
    const api = await startStepFunctionsApi(engine);
    const sfn = createSfnClient({
      endpoint: api.endpoint,
      ...inProcessTransport(api.listener),
    });
    try {
      await expect(
        sfn.send(
          new DescribeExecutionCommand({
            executionArn: 'arn:aws:states:eu-west-1:000000000000:execution:none:run-1',
          }),
        ),
      ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist', $metadata: { httpStatusCode: 400 } });
    } finally {
      sfn.destroy();
      await api.stop();
    }
  });
});
