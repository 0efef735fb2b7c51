/** The Step Functions client: created once per container on first use, traced, endpoint from the environment. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint } from './client-config.ts';

/** Returns a new traced Step Functions client. */
export function createSfnClient(options: ClientOptions = {}): SFNClient {
  return tracer.captureAWSv3Client(new SFNClient(clientConfig(options)));
}

let sfn: SFNClient | undefined;

/** Returns the process-wide Step Functions client (endpoint from `KLANTREIS_SFN_ENDPOINT`). */
export function sfnClient(): SFNClient {
  sfn ??= createSfnClient({ endpoint: envEndpoint('sfn') });
  return sfn;
}
