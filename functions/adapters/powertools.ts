/**
 * The shared Powertools instances, configured once and imported by every handler and adapter.
 *
 * Behaviour outside Lambda (the local runtime, tests), checked against Powertools 2.36:
 * - Tracer switches itself off when `AWS_EXECUTION_ENV` is not a Lambda runtime (or
 *   `POWERTOOLS_TRACE_ENABLED=false`): `captureAWSv3Client` then returns the client untouched and
 *   no X-Ray context is needed.
 * - Metrics print EMF JSON to stdout on every `publishStoredMetrics()` unless
 *   `POWERTOOLS_METRICS_DISABLED=true` (or `POWERTOOLS_DEV=true`, which also pretty-prints logs).
 *   The local runtime and the test configuration should set `POWERTOOLS_METRICS_DISABLED=true`.
 *   Its "no application metrics" warning goes through `logger`, so it obeys the log level.
 * - Logger reads its level from `POWERTOOLS_LOG_LEVEL` (or `LOG_LEVEL`; Lambda's own
 *   `AWS_LAMBDA_LOG_LEVEL` caps it); default INFO. Tests can set `POWERTOOLS_LOG_LEVEL=SILENT`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const SERVICE_NAME = 'klantreis';
export const METRICS_NAMESPACE = 'Klantreis';

export const logger = new Logger({ serviceName: SERVICE_NAME });

export const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE, logger });

export const tracer = new Tracer({ serviceName: SERVICE_NAME });
