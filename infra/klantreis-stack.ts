/**
 * One Klantreis stage: the table, one function per catalog handler, one state machine per
 * catalog journey, and the HTTP API. Wiring only; what each function may do comes from the
 * catalog, names and retention from the stage.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import {
  type HandlerId,
  type HandlerSpec,
  handlers,
  type JourneySpec,
  journeys,
  resourceName,
} from './catalog.ts';
import { configurationSetNameOf, DeliveryFeedback } from './constructs/delivery-feedback.ts';
import { Journey } from './constructs/journey.ts';
import { NodeFunction, removalPolicyOf } from './constructs/node-function.ts';
import type { StageConfig } from './stages.ts';
import { tableDesign } from './table-design.ts';

export interface KlantreisStackProps extends StackProps {
  stage: StageConfig;
  /** A handler's entry file (absolute or from the repo root); default `functions/handlers/<id>.ts`. */
  entryFor?: (handlerId: HandlerId) => string;
}

export class KlantreisStack extends Stack {
  readonly functions: ReadonlyMap<HandlerId, NodeFunction>;
  readonly journeys: ReadonlyMap<string, Journey>;

  constructor(scope: Construct, id: string, props: KlantreisStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const removalPolicy = removalPolicyOf(stage);

    const table = new TableV2(this, 'Table', {
      tableName: resourceName(stage.name, 'table'),
      partitionKey: { name: tableDesign.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      globalSecondaryIndexes: [
        {
          indexName: tableDesign.gsi1.indexName,
          partitionKey: { name: tableDesign.gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: tableDesign.gsi1.sortKey, type: AttributeType.STRING },
        },
      ],
      removalPolicy,
      // A retained stage is one whose data matters: a stray console click must not drop it either.
      deletionProtection: stage.removalPolicy === 'retain',
    });

    const specs: readonly HandlerSpec[] = handlers;
    const functions = new Map<HandlerId, NodeFunction>();
    // Every email goes through the stage's configuration set, so its events reach the feedback handler.
    const configurationSetName = configurationSetNameOf(stage);
    for (const spec of specs) {
      const handlerId = spec.id as HandlerId;
      const needs = new Set(spec.needs ?? []);
      const fn = new NodeFunction(this, pascalCase(spec.id), {
        stage,
        handlerId,
        tableName: table.tableName,
        withTemplates: needs.has('templates'),
        ...(props.entryFor ? { entry: props.entryFor(handlerId) } : {}),
      });
      fn.grantTable(table, spec.table);
      // The shared repository wiring stamps the body TTL on whatever it writes, in every handler.
      if (spec.table !== 'none') {
        fn.addEnvironment('MESSAGE_BODY_RETENTION_DAYS', String(stage.messageBodyRetentionDays));
      }
      if (needs.has('templates') && stage.portalUrl) fn.addEnvironment('PORTAL_URL', stage.portalUrl);
      if (needs.has('send-email')) {
        fn.grantSendEmail(stage, configurationSetName);
        fn.addEnvironment('EMAIL_FROM', stage.emailFrom);
        fn.addEnvironment('SES_CONFIGURATION_SET', configurationSetName);
        fn.addEnvironment('EMAIL_MAX_PER_SECOND', String(stage.sesMaxSendRate));
      }
      if (needs.has('send-sms')) {
        fn.grantSendSms();
        if (stage.smsSenderId) fn.addEnvironment('SMS_SENDER_ID', stage.smsSenderId);
        if (stage.smsOriginationNumber)
          fn.addEnvironment('SMS_ORIGINATION_NUMBER', stage.smsOriginationNumber);
        fn.addEnvironment('SMS_MAX_PER_SECOND', String(stage.smsMaxPerSecond));
      }
      functions.set(handlerId, fn);
    }
    this.functions = functions;

    const feedbackFn = (source: HandlerSpec['feedback']) =>
      functions.get(specs.find((s) => s.feedback === source)?.id as HandlerId)?.function;
    const emailFeedback = feedbackFn('email-events');
    const smsFeedback = feedbackFn('sms-events');
    const feedback = new DeliveryFeedback(this, 'DeliveryFeedback', {
      stage,
      ...(emailFeedback ? { emailFeedback } : {}),
      ...(smsFeedback ? { smsFeedback } : {}),
    });
    new CfnOutput(this, 'EmailConfigurationSetName', {
      value: feedback.configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'InboundSmsTopicArn', { value: feedback.inboundSmsTopic.topicArn });
    new CfnOutput(this, 'SmsEventsTopicArn', { value: feedback.smsEventsTopic.topicArn });

    const alarmTopic = stage.alarmEmail
      ? new Topic(this, 'AlarmTopic', { topicName: resourceName(stage.name, 'alarms'), enforceSSL: true })
      : undefined;
    if (alarmTopic && stage.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(stage.alarmEmail));

    const lambdas = new Map<HandlerId, IFunction>([...functions].map(([key, fn]) => [key, fn.function]));
    const journeySpecs: readonly JourneySpec[] = journeys;
    const built = new Map<string, Journey>();
    for (const spec of journeySpecs) {
      const journey = new Journey(this, `${pascalCase(spec.id)}Journey`, {
        stage,
        journeyId: spec.id,
        definitionFile: spec.definitionFile,
        functions: lambdas,
        table,
        ...(alarmTopic ? { alarmTopic } : {}),
      });
      built.set(spec.id, journey);
      new CfnOutput(this, `${pascalCase(spec.id)}StateMachineArn`, {
        value: journey.stateMachine.stateMachineArn,
      });
    }
    this.journeys = built;

    // Journeys never call the starters, so starters may depend on the state machines without a cycle.
    for (const spec of specs.filter((s) => s.needs?.includes('start-journeys'))) {
      const starter = functions.get(spec.id as HandlerId);
      if (!starter) continue;
      const arns = Object.fromEntries(
        [...built].map(([journeyId, j]) => [journeyId, j.stateMachine.stateMachineArn]),
      );
      starter.addEnvironment('JOURNEY_STATE_MACHINES', this.toJsonString(arns));
      for (const journey of built.values()) journey.stateMachine.grantStartExecution(starter.function);
    }

    const api = this.httpApi(stage, specs, functions);

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }

  /** Returns the HTTP API's default stage, with a route per catalog handler that has one. */
  private httpApi(
    stage: StageConfig,
    specs: readonly HandlerSpec[],
    functions: Map<HandlerId, NodeFunction>,
  ) {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/vendedlogs/apigateway/${resourceName(stage.name, 'api')}`,
      retention: stage.logRetentionDays as RetentionDays,
      removalPolicy: removalPolicyOf(stage),
    });
    const api = new HttpApi(this, 'Api', {
      apiName: resourceName(stage.name, 'api'),
      createDefaultStage: false,
      defaultAuthorizer: authorizerFor(stage.apiAuthorization),
    });
    const apiStage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: stage.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No source IP, caller identity or raw path (it carries customer ids): the route key says enough.
        format: AccessLogFormat.custom(
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
        ),
      },
    });
    for (const spec of specs) {
      const fn = functions.get(spec.id as HandlerId);
      if (!spec.route || !fn) continue;
      api.addRoutes({
        path: spec.route.path,
        methods: [HttpMethod[spec.route.method]],
        integration: new HttpLambdaIntegration(`${pascalCase(spec.id)}Integration`, fn.function),
      });
    }
    return apiStage;
  }
}

/** Returns the route authorizer for a stage's API authorization mode (more modes come later). */
function authorizerFor(mode: StageConfig['apiAuthorization']): IHttpRouteAuthorizer {
  switch (mode) {
    case 'iam':
      return new HttpIamAuthorizer();
  }
}

/** Returns `PaymentReminder` for `payment-reminder`: construct ids and output names. */
function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
