import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** Every Klantreis function's timeout on AWS (`infra/constructs/node-function.ts` deploys it). */
export const LAMBDA_TIMEOUT_SECONDS = 10;

/**
 * How much longer than on AWS a local invocation may take. On AWS each invocation has a sandbox
 * of its own; locally every Lambda of every run shares one Node process, so a handler's wall time
 * is its own work plus its neighbours'. With hundreds of journey runs in flight, a scheduled batch
 * that starts 50 runs in ~3 s on AWS took over 10 s here, and middy's early timeout (which reads
 * the context below) failed it, and with it the whole batch's Map. A hung handler still fails.
 */
export const LOCAL_TIMEOUT_FACTOR = 30;

/**
 * Returns the Lambda context a local invocation gets: enough for Powertools and middy, with the
 * remaining time counting down from the invocation's start as on AWS (middy times the handler
 * out from it), against the deployed timeout × `LOCAL_TIMEOUT_FACTOR` unless `timeoutMs` is given.
 */
export function localLambdaContext(
  functionName: string,
  options: { timeoutMs?: number; now?: () => number } = {},
): Context {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? LAMBDA_TIMEOUT_SECONDS * 1000 * LOCAL_TIMEOUT_FACTOR);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
