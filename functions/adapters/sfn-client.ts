/** The Step Functions client: created once per container on first use, traced, endpoint from the environment. */
import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint } from './client-config.ts';

/**
 * Returns a new traced Step Functions client; `requestHandler` and `signer` replace the SDK's HTTP
 * handler and SigV4 signer (the local runtime calls its in-process Step Functions API without a socket).
 */
export function createSfnClient(
  options: ClientOptions & Pick<SFNClientConfig, 'requestHandler' | 'signer'> = {},
): SFNClient {
  const { requestHandler, signer, ...rest } = options;
  return tracer.captureAWSv3Client(
    new SFNClient({
      ...clientConfig(rest),
      ...(requestHandler ? { requestHandler } : {}),
      ...(signer ? { signer } : {}),
    }),
  );
}

let sfn: SFNClient | undefined;

/** Returns the process-wide Step Functions client (endpoint from `KLANTREIS_SFN_ENDPOINT`). */
export function sfnClient(): SFNClient {
  sfn ??= createSfnClient({ endpoint: envEndpoint('sfn') });
  return sfn;
}
