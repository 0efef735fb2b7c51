/**
 * One SDK client per service, created once per Lambda container (lazily, on first use), traced,
 * and endpoint-configurable so the same code talks to AWS or to the local emulators.
 *
 * On AWS the `KLANTREIS_*_ENDPOINT` variables are unset and the SDK resolves region and
 * credentials as usual. The local runtime sets them; with an endpoint override the clients use
 * dummy static credentials so no credential-chain lookup (files, IMDS) happens offline.
 * Tests and the local runtime can also build clients explicitly with the `create…` factories.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '#shared/powertools.ts';

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:8000`; when set, dummy credentials are used. */
  endpoint?: string;
  region?: string;
}

/** Region used against an emulator when neither the options nor `AWS_REGION` name one. */
export const LOCAL_REGION = 'eu-west-1';

export const ENDPOINT_ENV = {
  dynamodb: 'KLANTREIS_DYNAMODB_ENDPOINT',
  ses: 'KLANTREIS_SES_ENDPOINT',
  sns: 'KLANTREIS_SNS_ENDPOINT',
  sfn: 'KLANTREIS_SFN_ENDPOINT',
  events: 'KLANTREIS_EVENTS_ENDPOINT',
} as const;

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Returns the SDK constructor config for the options: untouched on AWS, pinned for an emulator. */
function clientConfig(options: ClientOptions): {
  endpoint?: string;
  region?: string;
  credentials?: typeof LOCAL_CREDENTIALS;
} {
  if (options.endpoint === undefined) {
    return options.region === undefined ? {} : { region: options.region };
  }
  return {
    endpoint: options.endpoint,
    region: options.region ?? process.env.AWS_REGION ?? LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  };
}

/** Returns the endpoint override from the environment, if any (empty counts as unset). */
function envEndpoint(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/** Returns a new traced DynamoDB client. */
export function createDynamoDbClient(options: ClientOptions = {}): DynamoDBClient {
  return tracer.captureAWSv3Client(new DynamoDBClient(clientConfig(options)));
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

/**
 * Sending clients make one attempt per call. The SDK's own retries would resend after a timeout
 * or a dropped connection, when the provider may already have accepted the message: a second
 * message to the customer. The send step classifies each failure instead and leaves retrying to
 * the journey (see `provider-errors.ts`).
 */
const SEND_ONCE = { maxAttempts: 1 } as const;

/** Returns a new traced SES v2 client that makes one attempt per call. */
export function createSesClient(options: ClientOptions = {}): SESv2Client {
  return tracer.captureAWSv3Client(new SESv2Client({ ...clientConfig(options), ...SEND_ONCE }));
}

/** Returns a new traced SNS client that makes one attempt per call. */
export function createSnsClient(options: ClientOptions = {}): SNSClient {
  return tracer.captureAWSv3Client(new SNSClient({ ...clientConfig(options), ...SEND_ONCE }));
}

/** Returns a new traced Step Functions client. */
export function createSfnClient(options: ClientOptions = {}): SFNClient {
  return tracer.captureAWSv3Client(new SFNClient(clientConfig(options)));
}

let dynamoDb: DynamoDBClient | undefined;
let dynamoDbDocument: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let sns: SNSClient | undefined;
let sfn: SFNClient | undefined;
let events: EventBridgeClient | undefined;

/** Returns the process-wide DynamoDB client (endpoint from `KLANTREIS_DYNAMODB_ENDPOINT`). */
export function dynamoDbClient(): DynamoDBClient {
  dynamoDb ??= createDynamoDbClient({ endpoint: envEndpoint(ENDPOINT_ENV.dynamodb) });
  return dynamoDb;
}

/** Returns the process-wide document client, built on `dynamoDbClient()`. */
export function dynamoDbDocumentClient(): DynamoDBDocumentClient {
  dynamoDbDocument ??= createDynamoDbDocumentClient({ client: dynamoDbClient() });
  return dynamoDbDocument;
}

/** Returns the process-wide SES v2 client (endpoint from `KLANTREIS_SES_ENDPOINT`). */
export function sesClient(): SESv2Client {
  ses ??= createSesClient({ endpoint: envEndpoint(ENDPOINT_ENV.ses) });
  return ses;
}

/** Returns the process-wide SNS client (endpoint from `KLANTREIS_SNS_ENDPOINT`). */
export function snsClient(): SNSClient {
  sns ??= createSnsClient({ endpoint: envEndpoint(ENDPOINT_ENV.sns) });
  return sns;
}

/** Returns the process-wide Step Functions client (endpoint from `KLANTREIS_SFN_ENDPOINT`). */
export function sfnClient(): SFNClient {
  sfn ??= createSfnClient({ endpoint: envEndpoint(ENDPOINT_ENV.sfn) });
  return sfn;
}

/** Returns the process-wide EventBridge client (endpoint from `KLANTREIS_EVENTS_ENDPOINT`). */
export function eventBridgeClient(): EventBridgeClient {
  events ??= tracer.captureAWSv3Client(
    new EventBridgeClient(clientConfig({ endpoint: envEndpoint(ENDPOINT_ENV.events) })),
  );
  return events;
}
