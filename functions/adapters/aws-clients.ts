/**
 * Every SDK client module in one import, for the local runtime and tests. Lambda code must not
 * import this file: a bundle would then load every SDK client at init. Handlers and adapters
 * import the one module per service they use (`dynamodb-client.ts`, `ses-client.ts`, …); the
 * bundle budget test checks that each bundle imports only its own SDK packages.
 */
export { type ClientOptions, ENDPOINT_ENV, LOCAL_REGION } from './client-config.ts';
export {
  createDynamoDbClient,
  createDynamoDbDocumentClient,
  dynamoDbClient,
  dynamoDbDocumentClient,
} from './dynamodb-client.ts';
export { createEumSmsClient, eumSmsClient } from './eum-sms-client.ts';
export { createEventBridgeClient, eventBridgeClient } from './eventbridge-client.ts';
export { createFirehoseClient, firehoseClient } from './firehose-client.ts';
export { createSesClient, sesClient } from './ses-client.ts';
export { createSfnClient, sfnClient } from './sfn-client.ts';
export { createSnsClient, snsClient } from './sns-client.ts';
