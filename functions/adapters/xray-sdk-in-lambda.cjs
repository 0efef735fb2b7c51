'use strict';
/**
 * What Lambda bundles get for `aws-xray-sdk-core` (an esbuild alias, `LAMBDA_BUNDLE.alias`): the SDK's
 * own modules, composed as its entry (`dist/lib/aws-xray.js`) composes them, without the parts that
 * never run in a Lambda function. The entry loads them all eagerly, CommonJS, so esbuild cannot drop
 * them: centralized sampling (the SDK switches it off in Lambda, where the facade segment carries
 * Lambda's own sampling decision), the Express-style middleware, the EC2/ECS/Beanstalk plugins, the
 * SDK v2 and promise patchers, SQL data and the whole `package.json`. The Powertools tracer uses
 * only what is exported here. `test/unit/bundles/bundle-budget.test.ts` traces an SDK v3 client
 * through a built bundle and a Lambda-style invocation.
 *
 * `#xray-sdk-lib/*` and `#xray-sdk-package` (package.json `imports`) name the real SDK's files, which
 * the alias (it rewrites `aws-xray-sdk-core` and every path under it) would otherwise send back here.
 */
const contextUtils = require('#xray-sdk-lib/context_utils.js');
const logging = require('#xray-sdk-lib/logger.js');
const segmentUtils = require('#xray-sdk-lib/segments/segment_utils.js');
const utils = require('#xray-sdk-lib/utils.js');
const capture = require('#xray-sdk-lib/capture.js');
const awsAttributes = require('#xray-sdk-lib/segments/attributes/aws.js');
const aws3 = require('#xray-sdk-lib/patchers/aws3_p.js');
const http = require('#xray-sdk-lib/patchers/http_p.js');
const daemonConfig = require('#xray-sdk-lib/daemon_config.js');
const Segment = require('#xray-sdk-lib/segments/segment.js');
const Subsegment = require('#xray-sdk-lib/segments/attributes/subsegment.js');
const SegmentEmitter = require('#xray-sdk-lib/segment_emitter.js');
const TraceID = require('#xray-sdk-lib/segments/attributes/trace_id.js');
const sdkPackage = require('#xray-sdk-package');

/** The SDK v2 patchers are left out: every client here is SDK v3 (`captureAWSv3Client`). */
function sdkV2NotBundled() {
  throw new Error('AWS SDK v2 tracing (captureAWS, captureAWSClient) is not bundled; trace SDK v3 clients.');
}

const AWSXRay = {
  setAWSWhitelist: awsAttributes.setAWSWhitelist,
  appendAWSWhitelist: awsAttributes.appendAWSWhitelist,
  setStreamingThreshold: segmentUtils.setStreamingThreshold,
  setLogger: logging.setLogger,
  getLogger: logging.getLogger,
  setDaemonAddress: daemonConfig.setDaemonAddress,
  captureFunc: capture.captureFunc,
  captureAsyncFunc: capture.captureAsyncFunc,
  captureCallbackFunc: capture.captureCallbackFunc,
  captureAWS: sdkV2NotBundled,
  captureAWSClient: sdkV2NotBundled,
  captureAWSv3Client: aws3.captureAWSClient,
  captureHTTPs: http.captureHTTPs,
  captureHTTPsGlobal: http.captureHTTPsGlobal,
  utils,
  getNamespace: contextUtils.getNamespace,
  resolveSegment: contextUtils.resolveSegment,
  resolveManualSegmentParams: contextUtils.resolveManualSegmentParams,
  getSegment: contextUtils.getSegment,
  setSegment: contextUtils.setSegment,
  isAutomaticMode: contextUtils.isAutomaticMode,
  enableAutomaticMode: contextUtils.enableAutomaticMode,
  enableManualMode: contextUtils.enableManualMode,
  setContextMissingStrategy: contextUtils.setContextMissingStrategy,
  Segment,
  Subsegment,
  SegmentUtils: segmentUtils,
};

// The trace ID Lambda last handed us; a new one resets the facade segment (`env/aws_lambda.js`).
let lambdaTraceIdBefore = null;

/** The SDK's Lambda set-up (`env/aws_lambda.js` `init`), without switching the sampler it never loads. */
function initInLambda() {
  contextUtils.enableManualMode = () => {
    logging.getLogger().warn('AWS Lambda does not support AWS X-Ray manual mode.');
  };
  SegmentEmitter.disableReusableSocket();
  segmentUtils.setStreamingThreshold(0);
  const namespace = contextUtils.getNamespace();
  namespace.enter(namespace.createContext());
  contextUtils.setSegment(facadeSegment());
}

/** Lambda's own segment, as the SDK builds it (`env/aws_lambda.js` `facadeSegment`): read-only, fed by the trace header. */
function facadeSegment() {
  const segment = new Segment('facade');
  const passThrough = [
    'addNewSubsegment',
    'addSubsegment',
    'removeSubsegment',
    'toString',
    'addSubsegmentWithoutSampling',
    'addNewSubsegmentWithoutSampling',
  ];
  const silent = ['incrementCounter', 'decrementCounter', 'isClosed', 'close', 'format', 'flush'];
  const traceIdAtStart = process.env._X_AMZN_TRACE_ID;
  for (const key in segment) {
    if (typeof segment[key] !== 'function' || passThrough.includes(key)) continue;
    segment[key] = silent.includes(key)
      ? () => undefined
      : () => {
          logging
            .getLogger()
            .warn(
              `Function "${key}" cannot be called on an AWS Lambda segment. Please use a subsegment to record data.`,
            );
        };
  }
  segment.trace_id = TraceID.Invalid().toString();
  segment.isClosed = () => true;
  segment.in_progress = false;
  segment.counter = 1;
  segment.notTraced = true;
  segment.facade = true;
  segment.reset = function reset() {
    this.trace_id = TraceID.Invalid().toString();
    this.id = '00000000';
    delete this.subsegments;
    this.notTraced = true;
  };
  segment.resolveLambdaTraceData = function resolveLambdaTraceData() {
    const fromInvokeStore = globalThis.awslambda?.InvokeStore?.getXRayTraceId();
    const traceId = fromInvokeStore ?? process.env._X_AMZN_TRACE_ID;
    if (traceId) {
      // A new trace header resets the trace data, so none leaks between invocations.
      if (traceId !== lambdaTraceIdBefore) {
        this.reset();
        if (utils.LambdaUtils.populateTraceData(segment, traceId)) lambdaTraceIdBefore = traceId;
      }
    } else {
      this.reset();
      contextUtils.contextMissingStrategy.contextMissing(
        'Missing AWS Lambda trace data for X-Ray. ' +
          'Ensure Active Tracing is enabled and no subsegments are created outside the function handler.',
      );
    }
  };
  // Usually still the cold start, before any trace header: only a valid one is taken.
  if (utils.LambdaUtils.validTraceData(traceIdAtStart)) {
    if (utils.LambdaUtils.populateTraceData(segment, traceIdAtStart)) lambdaTraceIdBefore = traceIdAtStart;
  }
  return segment;
}

segmentUtils.setSDKData({
  sdk: 'X-Ray for Node.js',
  sdk_version: sdkPackage.version,
  package: sdkPackage.name,
});
segmentUtils.setServiceData({
  runtime: process.release?.name ?? 'unknown',
  runtime_version: process.version,
  version: process.env.npm_package_version || 'unknown',
  name: process.env.npm_package_name || 'unknown',
});
if (process.env.LAMBDA_TASK_ROOT) initInLambda();

module.exports = AWSXRay;
