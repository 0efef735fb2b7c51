/** The SES v2 client: created once per container on first use, traced, endpoint from the environment. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint, SEND_ONCE } from './client-config.ts';

/** Returns a new traced SES v2 client that makes one attempt per call. */
export function createSesClient(options: ClientOptions = {}): SESv2Client {
  return tracer.captureAWSv3Client(new SESv2Client({ ...clientConfig(options), ...SEND_ONCE }));
}

let ses: SESv2Client | undefined;

/** Returns the process-wide SES v2 client (endpoint from `KLANTREIS_SES_ENDPOINT`). */
export function sesClient(): SESv2Client {
  ses ??= createSesClient({ endpoint: envEndpoint('ses') });
  return ses;
}
