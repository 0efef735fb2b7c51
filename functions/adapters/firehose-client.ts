/** The Firehose client: created once per container on first use, traced, endpoint from the environment. */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint } from './client-config.ts';

/** Returns a new traced Firehose client. */
export function createFirehoseClient(options: ClientOptions = {}): FirehoseClient {
  return tracer.captureAWSv3Client(new FirehoseClient(clientConfig(options)));
}

let firehose: FirehoseClient | undefined;

/** Returns the process-wide Firehose client (endpoint from `KLANTREIS_FIREHOSE_ENDPOINT`). */
export function firehoseClient(): FirehoseClient {
  firehose ??= createFirehoseClient({ endpoint: envEndpoint('firehose') });
  return firehose;
}
