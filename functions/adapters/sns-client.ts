/** The SNS client: created once per container on first use, traced, endpoint from the environment. */
import { SNSClient } from '@aws-sdk/client-sns';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint, SEND_ONCE } from './client-config.ts';

/** Returns a new traced SNS client that makes one attempt per call. */
export function createSnsClient(options: ClientOptions = {}): SNSClient {
  return tracer.captureAWSv3Client(new SNSClient({ ...clientConfig(options), ...SEND_ONCE }));
}

let sns: SNSClient | undefined;

/** Returns the process-wide SNS client (endpoint from `KLANTREIS_SNS_ENDPOINT`). */
export function snsClient(): SNSClient {
  sns ??= createSnsClient({ endpoint: envEndpoint('sns') });
  return sns;
}
