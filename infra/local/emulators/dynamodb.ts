/**
 * DynamoDB on one machine: dynalite's table engine, in memory, in this process
 * (`dynamodb-engine.ts`), behind an HTTP front of its own for every other caller (tests, the CLI,
 * the console, any AWS SDK or CLI pointed at the endpoint). Binds to 127.0.0.1 only; port 0 picks a
 * free port. dynalite lacks TransactWriteItems (added by the engine) and UpdateTimeToLive and never
 * expires items, so the table gets no TTL setting here (the repository filters expired bodies).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableDesign } from '#catalog/table-design.ts';
import { closableCall } from '../in-process-http.ts';
import { createTableEngine } from './dynamodb-engine.ts';
import { closeServer, listenLocal } from './server-lifecycle.ts';
import type { Json, TableCall } from './table-call.ts';

export interface RunningDynamoDb {
  /** e.g. `http://127.0.0.1:49152`, for `KLANTREIS_DYNAMODB_ENDPOINT` or `createDynamoDbClient`. */
  endpoint: string;
  /**
   * The table engine itself, for the runtime's own clients (`directJsonTransport` in
   * `in-process-http.ts`): a request's JSON in, DynamoDB's JSON answer out, no HTTP in between.
   * After `stop` it refuses calls as a closed port does.
   */
  call: TableCall;
  stop(): Promise<void>;
}

/** Starts an in-memory DynamoDB and returns its endpoint. */
export async function startDynamoDb(options: { port?: number } = {}): Promise<RunningDynamoDb> {
  const engine = createTableEngine();
  const inProcess = closableCall(engine.call);
  const server = createServer((request, response) => {
    void answerOverHttp(inProcess.call, request, response);
  });
  const address: AddressInfo = await listenLocal(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    call: inProcess.call,
    stop: async () => {
      await closeServer(server);
      await inProcess.close();
      await engine.close();
    },
  };
}

const API_VERSION = 'DynamoDB_20120810';

/**
 * DynamoDB's HTTP front, as dynalite's own answers it: JSON 1.0 requests named by `X-Amz-Target`,
 * an AWS4 signature checked for its form only, answers with a request id and the CRC32 of the body
 * (the AWS CLI and boto3 check it).
 */
async function answerOverHttp(
  call: TableCall,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const send = (status: number, body: Json) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      'x-amz-crc32': String(crc32(text)),
    });
    response.end(text);
  };
  try {
    if (request.headers.origin) response.setHeader('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(200, {
        'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
        'access-control-allow-methods': request.headers['access-control-request-method'] ?? 'POST',
        'content-length': 0,
      });
      response.end();
      return;
    }
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('healthy: dynamodb.local ');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const [api, operation] = String(request.headers['x-amz-target'] ?? '').split('.');
    if (request.method !== 'POST' || api !== API_VERSION || !operation) {
      return send(400, { __type: 'com.amazon.coral.service#UnknownOperationException' });
    }
    const authorization = request.headers.authorization;
    if (!authorization?.trim().startsWith('AWS4-') && !request.url?.includes('X-Amz-Algorithm=')) {
      return send(400, {
        __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
        message: 'Request is missing Authentication Token',
      });
    }
    let body: Json;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      return send(400, { __type: 'com.amazon.coral.service#SerializationException' });
    }
    const answer = await call(operation, body);
    send(answer.status, answer.body);
  } catch (error) {
    if (!response.headersSent) {
      send(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) });
    }
  }
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
