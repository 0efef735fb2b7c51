import '#adapters/zod-english.ts';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from '../adapters/powertools.ts';

/**
 * Returns the journey run an event belongs to: `runId` of a journey step's payload (the execution
 * name), or the `{runId}` path parameter of an API request. Run ids carry no personal data.
 */
export function runIdOf(event: unknown): string | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const { runId, pathParameters } = event as { runId?: unknown; pathParameters?: { runId?: unknown } };
  const found = typeof runId === 'string' ? runId : pathParameters?.runId;
  return typeof found === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(found) ? found : undefined;
}

/** Adds the run id to every log line of the invocation: one correlation id across a run's Lambdas. */
const correlateRun = {
  before: (request: { event: unknown }) => {
    const runId = runIdOf(request.event);
    if (runId) logger.appendKeys({ runId });
  },
};

/**
 * Adds the run id of a send record's key (`<runId>#<stepId>`) to the invocation's log lines:
 * provider feedback arrives without one, and finds its run only through the send it is about.
 */
export function correlateWithRun(sendKey: string): void {
  const runId = runIdOf({ runId: sendKey.split('#')[0] });
  if (runId) logger.appendKeys({ runId });
}

/**
 * The one middleware stack every Klantreis Lambda uses: Powertools logger (with the Lambda
 * context, never the event: events carry personal data, and the run id as correlation id),
 * metrics flushed per invocation, and a traced handler segment.
 */
export function withObservability<TEvent, TResult>(
  fn: (event: TEvent, context: Context) => Promise<TResult>,
) {
  return middy<TEvent, TResult>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(correlateRun)
    .use(logMetrics(metrics))
    .handler(fn);
}

/**
 * The default wiring of a handler module, built on first use rather than at import, so tests and
 * the local runtime can import `makeHandler` without AWS environment variables. SDK clients are
 * still created once per container.
 */
export function wiredOnFirstUse<TEvent, TResult>(
  build: () => (event: TEvent, context: Context) => Promise<TResult>,
): (event: TEvent, context: Context) => Promise<TResult> {
  let built: ((event: TEvent, context: Context) => Promise<TResult>) | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
}
