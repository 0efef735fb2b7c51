import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * What an HTTP API stage logs per request. No source IP, caller identity or raw path (it carries
 * customer ids): the route key says enough.
 */
export const API_ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);
