import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools.ts';

/**
 * The one middleware stack every Klantreis Lambda uses: Powertools logger (with the Lambda
 * context, never the event: events carry personal data), metrics flushed per invocation,
 * and a traced handler segment.
 */
export function withObservability<TEvent, TResult>(
  fn: (event: TEvent, context: Context) => Promise<TResult>,
) {
  return middy<TEvent, TResult>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
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
