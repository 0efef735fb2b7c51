/** The DynamoDB clients: created once per container on first use, traced, endpoint from the environment. */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint } from './client-config.ts';

/**
 * Returns a new traced DynamoDB client; `requestHandler` and `signer` replace the SDK's HTTP handler
 * and SigV4 signer (the local runtime calls its in-process emulator without a socket).
 */
export function createDynamoDbClient(
  options: ClientOptions & Pick<DynamoDBClientConfig, 'requestHandler' | 'signer'> = {},
): DynamoDBClient {
  const { requestHandler, signer, ...rest } = options;
  return tracer.captureAWSv3Client(
    new DynamoDBClient({
      ...clientConfig(rest),
      ...(requestHandler ? { requestHandler } : {}),
      ...(signer ? { signer } : {}),
    }),
  );
}

/**
 * Returns a new document client. `removeUndefinedValues` lets items carry optional fields
 * without pre-cleaning; tracing sits on the underlying client, whose middleware the
 * document client shares.
 */
export function createDynamoDbDocumentClient(
  options: ClientOptions & { client?: DynamoDBClient } = {},
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(options.client ?? createDynamoDbClient(options), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

let dynamoDb: DynamoDBClient | undefined;
let dynamoDbDocument: DynamoDBDocumentClient | undefined;

/** Returns the process-wide DynamoDB client (endpoint from `KLANTREIS_DYNAMODB_ENDPOINT`). */
export function dynamoDbClient(): DynamoDBClient {
  dynamoDb ??= createDynamoDbClient({ endpoint: envEndpoint('dynamodb') });
  return dynamoDb;
}

/** Returns the process-wide document client, built on `dynamoDbClient()`. */
export function dynamoDbDocumentClient(): DynamoDBDocumentClient {
  dynamoDbDocument ??= createDynamoDbDocumentClient({ client: dynamoDbClient() });
  return dynamoDbDocument;
}
