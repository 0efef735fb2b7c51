/**
 * What every SDK client module shares: endpoint overrides from the environment (the local
 * runtime points clients at emulators) and the constructor config they lead to. It imports no
 * SDK package, so each client module — and each Lambda bundle — loads only the SDK it uses.
 *
 * On AWS the `KLANTREIS_*_ENDPOINT` variables are unset and the SDK resolves region and
 * credentials as usual. The local runtime sets them; with an endpoint override the clients use
 * dummy static credentials so no credential-chain lookup (files, IMDS) happens offline.
 */

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
  smsVoice: 'KLANTREIS_SMS_VOICE_ENDPOINT',
  sfn: 'KLANTREIS_SFN_ENDPOINT',
  events: 'KLANTREIS_EVENTS_ENDPOINT',
  scheduler: 'KLANTREIS_SCHEDULER_ENDPOINT',
  firehose: 'KLANTREIS_FIREHOSE_ENDPOINT',
  sqs: 'KLANTREIS_SQS_ENDPOINT',
  s3: 'KLANTREIS_S3_ENDPOINT',
} as const;

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Returns the SDK constructor config for the options: untouched on AWS, pinned for an emulator. */
export function clientConfig(options: ClientOptions): {
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

/** Returns the endpoint override of a service from the environment, if any (empty counts as unset). */
export function envEndpoint(service: keyof typeof ENDPOINT_ENV): string | undefined {
  const value = process.env[ENDPOINT_ENV[service]]?.trim();
  return value ? value : undefined;
}

/**
 * How long a send may wait for a connected socket: a free one of the pool, or a new connection.
 * Past it the request was never written (`not-sent`, safe to retry). Kept well below the request
 * timeout, so a request still queued behind busy sockets is always reported by this timeout and
 * never by the request timeout, which then means "connected, no answer" (`maybe-sent`).
 */
export const SEND_CONNECTION_TIMEOUT_MS = 1_000;
/** How long a connected send waits for the provider's answer: leaves the step time to record it. */
export const SEND_REQUEST_TIMEOUT_MS = 5_000;
/** Sockets per sending client (the SDK's default, named): more requests queue for a free one. */
export const SEND_MAX_SOCKETS = 50;

/**
 * Sending clients make one attempt per call. The SDK's own retries would resend after a timeout
 * or a dropped connection, when the provider may already have accepted the message: a second
 * message to the customer. The send step classifies each failure instead and leaves retrying to
 * the journey (see `provider-errors.ts`). The request handler's timeouts are what lets it tell
 * "never left" from "maybe accepted"; `throwOnRequestTimeout` makes the request timeout an error
 * (without it the handler only logs a warning and waits on).
 */
export const SEND_ONCE = {
  maxAttempts: 1,
  requestHandler: {
    connectionTimeout: SEND_CONNECTION_TIMEOUT_MS,
    requestTimeout: SEND_REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
    httpAgent: { keepAlive: true, maxSockets: SEND_MAX_SOCKETS },
    httpsAgent: { keepAlive: true, maxSockets: SEND_MAX_SOCKETS },
  },
} as const;
