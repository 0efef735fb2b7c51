/**
 * One Klantreis stage: the table, one function per catalog handler, one state machine per
 * catalog journey, and the HTTP API. Wiring only; what each function may do comes from the
 * catalog, names and retention from the stage.
 */
import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { loadPolicy } from '#adapters/policy-file.ts';
import {
  batches,
  type HandlerId,
  type HandlerSpec,
  handlers,
  type JourneySpec,
  journeys,
  resourceName,
} from '#catalog/catalog.ts';
import { tableDesign } from '#catalog/table-design.ts';
import { withStageContactCentre } from '#core/call-planning.ts';
import { batchInputOf } from '#core/schedule.ts';
import { API_ACCESS_LOG_FORMAT } from './constructs/api-access-log.ts';
import { Console } from './constructs/console.ts';
import { deadLetterAlarm } from './constructs/dead-letter-alarm.ts';
import { configurationSetNameOf, DeliveryFeedback } from './constructs/delivery-feedback.ts';
import { EmailReplies } from './constructs/email-replies.ts';
import { Erasure } from './constructs/erasure.ts';
import { HandOverInbox } from './constructs/hand-over-inbox.ts';
import { Journey } from './constructs/journey.ts';
import { Letters } from './constructs/letters.ts';
import { NodeFunction, removalPolicyOf } from './constructs/node-function.ts';
import { Operations } from './constructs/operations.ts';
import { ResultsAnalysis } from './constructs/results-analysis.ts';
import { RunStatusEvents } from './constructs/run-status-events.ts';
import {
  StageEncryption,
  stageLogGroup,
  stageQueue,
  stageTopic,
  tableEncryptionOf,
} from './constructs/stage-encryption.ts';
import type { StageConfig } from './stages.ts';

export interface KlantreisStackProps extends StackProps {
  stage: StageConfig;
  /** A handler's entry file (absolute or from the repo root); default `functions/handlers/<id>.ts`. */
  entryFor?: (handlerId: HandlerId) => string;
  /** A built console to deploy as it is (tests); by default synth builds it. */
  consoleAssetsDir?: string;
}

export class KlantreisStack extends Stack {
  readonly functions: ReadonlyMap<HandlerId, NodeFunction>;
  readonly journeys: ReadonlyMap<string, Journey>;
  /** The scheduled batch state machine (a Journey construct: same defaults, logs and alarms). */
  readonly batch: Journey;
  /** EventBridge Scheduler schedules by schedule id. */
  readonly schedules: ReadonlyMap<string, Schedule>;
  /** Where the scheduler puts batch starts it could not deliver (only when the stage has schedules). */
  deadLetters?: Queue;
  readonly operations: Operations;
  /** The stage's KMS key and which resources it encrypts. */
  readonly encryption: StageEncryption;
  /** The hand-over queue, its dead letters, the bus archive and their alarms (when a handler hands over). */
  handOverInbox?: HandOverInbox;
  /** The rule that keeps each run's status with its execution's end (when a handler receives them). */
  runStatusEvents?: RunStatusEvents;
  /** The pseudonym key and the one-time schedules of the erasure's second pass. */
  readonly erasure: Erasure;
  /** Counted result events → Firehose → S3, Glue and Athena (when a handler feeds them). */
  resultsAnalysis?: ResultsAnalysis;
  /** The letters bucket and the daily posting run (`constructs/letters.ts`). */
  letters?: Letters;
  /** SES receiving of the inbound email domain into the replies bucket (only a stage with `inboundEmail`). */
  emailReplies?: EmailReplies;
  /** The console for people: CloudFront, Cognito and the JWT-authorized console API (unless the stage turns it off). */
  console?: Console;

  constructor(scope: Construct, id: string, props: KlantreisStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const removalPolicy = removalPolicyOf(stage);
    // First: every construct below finds the stage key through `StageEncryption.of`.
    this.encryption = new StageEncryption(this, stage);

    const table = new TableV2(this, 'Table', {
      tableName: resourceName(stage.name, 'table'),
      partitionKey: { name: tableDesign.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: tableEncryptionOf(this),
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      // Feeds the results analysis (ResultsAnalysis); enabling it updates the table in place.
      dynamoStream: StreamViewType.NEW_IMAGE,
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

    // A handler of inbound email exists only where the stage receives it.
    const specs: readonly HandlerSpec[] = handlers.filter(
      (spec: HandlerSpec) => stage.inboundEmail || !spec.needs?.includes('inbound-email'),
    );
    // Signs unsubscribe links: generated at deploy time, so the key is in no template, file or variable.
    const unsubscribeKey = specs.some((s) => s.needs?.includes('unsubscribe-key'))
      ? new Secret(this, 'UnsubscribeKey', {
          secretName: resourceName(stage.name, 'unsubscribe-key'),
          description: 'Klantreis: HMAC key that signs the unsubscribe links in messages',
          generateSecretString: { passwordLength: 64, excludePunctuation: true },
          removalPolicy,
        })
      : undefined;
    if (unsubscribeKey) {
      Validations.of(unsubscribeKey).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Links signed with this key sit in sent messages for up to 180 days; rotating it would break them until verification accepts the previous key as well (the token code does, the key source does not yet).',
      });
    }
    // Hand-overs to a person: contact-centre or collections systems subscribe with their own rules.
    const handOverBus = specs.some((s) => s.needs?.includes('hand-over'))
      ? new EventBus(this, 'HandOverBus', { eventBusName: resourceName(stage.name, 'hand-overs') })
      : undefined;
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
      fn.grantTable(table, spec.table, spec.indexes ?? []);
      // The shared repository wiring stamps the body TTL on whatever it writes, in every handler.
      if (spec.table !== 'none') {
        fn.addEnvironment('MESSAGE_BODY_RETENTION_DAYS', String(stage.messageBodyRetentionDays));
      }
      if (needs.has('record-results') || needs.has('read-results')) {
        fn.addEnvironment('RESULTS_RETENTION_DAYS', String(stage.resultsRetentionDays));
      }
      if (needs.has('templates') && stage.portalUrl) fn.addEnvironment('PORTAL_URL', stage.portalUrl);
      // The stage's contact centre over the policy's; checked here, so an incomplete one fails synth.
      if (needs.has('templates') && stage.contactCentre) {
        const centre = JSON.stringify(stage.contactCentre);
        withStageContactCentre(loadPolicy(), centre);
        fn.addEnvironment('CONTACT_CENTRE', centre);
      }
      if (needs.has('unsubscribe-key') && unsubscribeKey) {
        unsubscribeKey.grantRead(fn.function);
        fn.addEnvironment('UNSUBSCRIBE_KEY_SECRET_ARN', unsubscribeKey.secretArn);
        if (stage.portalUrl && !needs.has('templates')) fn.addEnvironment('PORTAL_URL', stage.portalUrl);
      }
      if (needs.has('send-email')) {
        fn.grantSendEmail(stage, configurationSetName);
        fn.addEnvironment('EMAIL_FROM', stage.emailFrom);
        fn.addEnvironment('SES_CONFIGURATION_SET', configurationSetName);
        fn.addEnvironment('EMAIL_MAX_PER_SECOND', String(stage.sesMaxSendRate));
        if (stage.emailReplyTo) fn.addEnvironment('EMAIL_REPLY_TO', stage.emailReplyTo);
        if (stage.inboundEmail) fn.addEnvironment('EMAIL_REPLY_DOMAIN', stage.inboundEmail.domain);
      }
      if (needs.has('send-sms')) {
        if (stage.sms.sender === 'end-user-messaging') {
          fn.grantSendTextMessage(stage.sms.originationIdentityArn, stage.sms.configurationSetName);
          fn.addEnvironment('SMS_SENDER', 'end-user-messaging');
          fn.addEnvironment('SMS_ORIGINATION_IDENTITY', stage.sms.originationIdentityArn);
          fn.addEnvironment('SMS_CONFIGURATION_SET', stage.sms.configurationSetName);
        } else {
          fn.grantSendSms();
          if (stage.smsSenderId) fn.addEnvironment('SMS_SENDER_ID', stage.smsSenderId);
          if (stage.smsOriginationNumber)
            fn.addEnvironment('SMS_ORIGINATION_NUMBER', stage.smsOriginationNumber);
        }
        fn.addEnvironment('SMS_MAX_PER_SECOND', String(stage.smsMaxPerSecond));
        if (stage.sms.twoWay && needs.has('templates')) fn.addEnvironment('SMS_TWO_WAY', 'true');
      }
      if (needs.has('inbound-email') && stage.inboundEmail) {
        fn.addEnvironment('EMAIL_REPLY_DOMAIN', stage.inboundEmail.domain);
      }
      if (needs.has('hand-over') && handOverBus) {
        handOverBus.grantPutEventsTo(fn.function);
        fn.addEnvironment('HAND_OVER_BUS_NAME', handOverBus.eventBusName);
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
    const replyHandler = functions.get(
      specs.find((s) => s.needs?.includes('inbound-email'))?.id as HandlerId,
    )?.function;
    if (stage.inboundEmail && replyHandler) {
      this.emailReplies = new EmailReplies(this, 'EmailReplies', {
        stage: { ...stage, inboundEmail: stage.inboundEmail },
        handler: replyHandler,
        deadLetterQueue: feedback.deadLetterQueue,
      });
      new CfnOutput(this, 'EmailRepliesRuleSetName', {
        value: this.emailReplies.ruleSet.receiptRuleSetName,
      });
      new CfnOutput(this, 'EmailRepliesBucketName', { value: this.emailReplies.bucket.bucketName });
    }
    new CfnOutput(this, 'SmsEventsTopicArn', { value: feedback.smsEventsTopic.topicArn });

    const alarmTopic = stage.alarmEmail
      ? stageTopic(this, 'AlarmTopic', { topicName: resourceName(stage.name, 'alarms') })
      : undefined;
    if (alarmTopic && stage.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(stage.alarmEmail));
    this.erasure = new Erasure(this, 'Erasure', {
      stage,
      specs,
      functions,
      ...(alarmTopic ? { alarmTopic } : {}),
    });

    const resultsFeed = functions.get(
      specs.find((s) => s.needs?.includes('results-stream'))?.id as HandlerId,
    );
    if (resultsFeed) {
      this.resultsAnalysis = new ResultsAnalysis(this, 'ResultsAnalysis', {
        stage,
        table,
        feed: resultsFeed,
        ...(alarmTopic ? { alarmTopic } : {}),
      });
    }

    const poster = functions.get(specs.find((s) => s.needs?.includes('post-letters'))?.id as HandlerId);
    if (poster) {
      this.letters = new Letters(this, 'Letters', {
        stage,
        poster,
        ...(this.resultsAnalysis ? { accessLogs: this.resultsAnalysis.accessLogs } : {}),
      });
      new CfnOutput(this, 'LettersBucketName', { value: this.letters.bucket.bucketName });
    }

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

    const runStatusHandler = functions.get(specs.find((s) => s.executionEnds)?.id as HandlerId);
    if (runStatusHandler) {
      this.runStatusEvents = new RunStatusEvents(this, 'RunStatusEvents', {
        stage,
        handler: runStatusHandler.function,
        stateMachines: [...built.values()].map((journey) => journey.stateMachine),
        ...(alarmTopic ? { alarmTopic } : {}),
      });
    }

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
    // Reading and stopping runs: on the journeys' executions only; completing their waiting Tasks.
    for (const spec of specs) {
      const fn = functions.get(spec.id as HandlerId);
      if (!fn) continue;
      for (const [journeyId, journey] of built) {
        if (spec.needs?.includes('read-journey-runs')) {
          journey.stateMachine.grantExecution(
            fn.function,
            'states:DescribeExecution',
            'states:GetExecutionHistory',
          );
          this.grantReadEncryptedExecutions(fn, resourceName(stage.name, journeyId));
        }
        if (spec.needs?.includes('stop-journey-runs')) {
          journey.stateMachine.grantExecution(fn.function, 'states:StopExecution');
        }
        // Task tokens belong to the state machine (not one execution): exactly the two calls, no heartbeat.
        // By name, not by reference: a journey calls run-journey-step, so a Ref would be a cycle.
        if (spec.needs?.includes('complete-journey-tasks')) {
          fn.function.addToRolePolicy(
            new PolicyStatement({
              actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
              resources: [
                this.formatArn({
                  service: 'states',
                  resource: 'stateMachine',
                  resourceName: resourceName(stage.name, journeyId),
                  arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                }),
              ],
            }),
          );
        }
        if (spec.needs?.some((need) => need === 'read-journey-runs' || need === 'stop-journey-runs')) {
          const ref = this.getLogicalId(journey.stateMachine.node.defaultChild as CfnElement);
          Validations.of(fn.role).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stage.region}:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${ref}"}]}]}:*]`,
            reason:
              'Runs are executions of the journey, named by run id when they start: any execution of that one state machine.',
          });
        }
      }
    }

    const [batchSpec] = batches;
    this.batch = new Journey(this, 'ScheduledBatch', {
      stage,
      journeyId: batchSpec.id,
      definitionFile: batchSpec.definitionFile,
      functions: lambdas,
      table,
      ...(alarmTopic ? { alarmTopic } : {}),
    });
    this.grantDistributedMap(this.batch, resourceName(stage.name, batchSpec.id));
    new CfnOutput(this, 'ScheduledBatchArn', { value: this.batch.stateMachine.stateMachineArn });
    this.schedules = this.scheduleBatches(stage, this.batch, alarmTopic);

    const api = this.httpApi(stage, specs, functions);
    this.operations = new Operations(this, 'Operations', {
      stage,
      journeys: built,
      batch: this.batch,
      api,
      ...(this.deadLetters ? { deadLetters: this.deadLetters } : {}),
      feedbackDeadLetters: feedback.deadLetterQueue,
      ...(alarmTopic ? { alarmTopic } : {}),
    });
    if (stage.console.enabled) {
      this.console = new Console(this, 'Console', {
        stage,
        routes: specs.flatMap((spec) => {
          const fn = functions.get(spec.id as HandlerId);
          return spec.route && spec.console && fn
            ? [{ spec: { ...spec, route: spec.route, console: spec.console }, function: fn.function }]
            : [];
        }),
        ...(props.consoleAssetsDir ? { assetsDir: props.consoleAssetsDir } : {}),
      });
    }
    // Functions that put unsubscribe links in messages point them at this API's public route.
    for (const spec of specs.filter((s) => s.needs?.includes('unsubscribe-link'))) {
      functions.get(spec.id as HandlerId)?.addEnvironment('UNSUBSCRIBE_URL', `${api.url}unsubscribe`);
    }
    // An SMS's short links: the stage's link domain (a custom domain on this API), else the API itself.
    for (const spec of specs.filter((s) => s.needs?.includes('short-link-base'))) {
      functions
        .get(spec.id as HandlerId)
        ?.addEnvironment('SHORT_LINK_BASE', stage.linkDomain ? `https://${stage.linkDomain}` : api.url);
    }

    // Hand-overs link the customer's conversation on this API, and their page in the console.
    for (const spec of specs.filter((s) => s.needs?.includes('hand-over'))) {
      functions.get(spec.id as HandlerId)?.addEnvironment('API_URL', api.url);
      if (this.console) functions.get(spec.id as HandlerId)?.addEnvironment('CONSOLE_URL', this.console.url);
    }
    if (handOverBus) {
      new CfnOutput(this, 'HandOverBusName', { value: handOverBus.eventBusName });
      new CfnOutput(this, 'HandOverBusArn', { value: handOverBus.eventBusArn });
      // Hand-overs are kept (queue, archive) even before a contact-centre system subscribes.
      this.handOverInbox = new HandOverInbox(this, 'HandOverInbox', {
        stage,
        bus: handOverBus,
        ...(alarmTopic ? { alarmTopic } : {}),
      });
      new CfnOutput(this, 'HandOverQueueUrl', { value: this.handOverInbox.queue.queueUrl });
      new CfnOutput(this, 'HandOverQueueArn', { value: this.handOverInbox.queue.queueArn });
      new CfnOutput(this, 'CallQueueUrl', { value: this.handOverInbox.callQueue.queueUrl });
      new CfnOutput(this, 'HandOverArchiveName', { value: this.handOverInbox.archive.archiveName });
    }

    this.grantPeekDeadLetters(specs, functions, {
      ...(this.deadLetters ? { scheduler: this.deadLetters } : {}),
      feedback: feedback.deadLetterQueue,
      erasure: this.erasure.deadLetterQueue,
      ...(this.runStatusEvents ? { 'run-status': this.runStatusEvents.deadLetterQueue } : {}),
      ...(this.resultsAnalysis ? { results: this.resultsAnalysis.deadLetterQueue } : {}),
      ...(this.handOverInbox ? { 'hand-overs': this.handOverInbox.deadLetterQueue } : {}),
    });

    new CfnOutput(this, 'EncryptionKeyArn', { value: this.encryption.key.keyArn });
    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }

  /**
   * The operators' view of the dead-letter queues: their URLs by name in `DEAD_LETTER_QUEUES`, and
   * reading their depth and peeking at their messages on those queues only (no delete, no send); under
   * the stage's key, kms:Decrypt to read what a peek receives.
   */
  private grantPeekDeadLetters(
    specs: readonly HandlerSpec[],
    functions: ReadonlyMap<HandlerId, NodeFunction>,
    queues: Readonly<Record<string, Queue>>,
  ): void {
    for (const spec of specs.filter((s) => s.needs?.includes('peek-dead-letters'))) {
      const fn = functions.get(spec.id as HandlerId);
      if (!fn) continue;
      fn.addEnvironment(
        'DEAD_LETTER_QUEUES',
        this.toJsonString(Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, q.queueUrl]))),
      );
      fn.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
          resources: Object.values(queues).map((q) => q.queueArn),
        }),
      );
      this.encryption.dataKey?.grant(fn.function, 'kms:Decrypt');
    }
  }

  /**
   * Execution input and history are encrypted with the stage's data key: reading them takes
   * kms:Decrypt, for this state machine's encryption context only. Starting, stopping and
   * completing tasks need nothing: Step Functions uses the execution role's key access for those.
   */
  private grantReadEncryptedExecutions(fn: NodeFunction, stateMachineName: string): void {
    const key = this.encryption.dataKey;
    if (!key) return;
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: {
            'kms:EncryptionContext:aws:states:stateMachineArn': this.formatArn({
              service: 'states',
              resource: 'stateMachine',
              resourceName: stateMachineName,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /**
   * A Distributed Map runs its child workflows as executions of the parent state machine, so the
   * parent's role may start, describe and stop executions of itself (by name: no self-reference).
   */
  private grantDistributedMap(batch: Journey, stateMachineName: string): void {
    const arn = (resourceType: string, name: string) =>
      this.formatArn({
        service: 'states',
        resource: resourceType,
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    batch.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [arn('stateMachine', stateMachineName)],
      }),
    );
    batch.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [arn('execution', `${stateMachineName}:*`), arn('express', `${stateMachineName}:*`)],
      }),
    );
    // Its child workflows run as the map run's labelled state machine (`<name>/<label>`), whose
    // encryption context is that labelled ARN: the role's own key grant names the plain ARN only.
    const key = this.encryption.dataKey;
    if (key) {
      batch.stateMachine.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key.keyArn],
          conditions: {
            StringLike: {
              'kms:EncryptionContext:aws:states:stateMachineArn': arn(
                'stateMachine',
                `${stateMachineName}/*`,
              ),
            },
          },
        }),
      );
    }
    for (const kind of ['execution', 'express']) {
      Validations.of(batch.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${this.region}:<AWS::AccountId>:${kind}:${stateMachineName}:*]`,
        reason:
          'A Distributed Map names its child executions itself: any execution of this one state machine.',
      });
    }
  }

  /**
   * One EventBridge Scheduler schedule per schedule of the stage: cron in its named time zone,
   * starting the batch with the schedule's input and the scheduled time. Failed deliveries go to a
   * dead-letter queue, and a message there raises an alarm.
   */
  private scheduleBatches(stage: StageConfig, batch: Journey, alarmTopic?: ITopic): Map<string, Schedule> {
    const schedules = new Map<string, Schedule>();
    if (stage.schedules.length === 0) return schedules;
    const deadLetters = stageQueue(this, 'SchedulerDeadLetterQueue', stage, {
      queueName: resourceName(stage.name, 'scheduler-dlq'),
      retentionPeriod: Duration.days(14),
    });
    // The scheduler sends undeliverable starts to the queue as this role, so it needs the queue's key too.
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: `${resourceName(stage.name, 'scheduler')}: starts the scheduled batch, parks failed starts`,
    });
    this.encryption.grantQueueUse(schedulerRole);
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the scheduler targets (and alarmed on).',
    });
    deadLetterAlarm(this, 'SchedulerDeadLetterAlarm', {
      queue: deadLetters,
      alarmName: resourceName(stage.name, 'scheduler-dead-letters'),
      description: `A scheduled batch could not be started in ${stage.name}: see the scheduler dead-letter queue.`,
      alarmTopic,
    });
    for (const schedule of stage.schedules) {
      const created = new Schedule(this, `${pascalCase(schedule.id)}Schedule`, {
        scheduleName: resourceName(stage.name, schedule.id),
        description: `Starts ${schedule.journeyId} for due invoices (${schedule.cron} ${schedule.timezone}).`,
        schedule: ScheduleExpression.expression(schedule.cron, TimeZone.of(schedule.timezone)),
        enabled: schedule.enabled,
        target: new StepFunctionsStartExecution(batch.stateMachine, {
          role: schedulerRole,
          input: ScheduleTargetInput.fromObject({
            ...batchInputOf(schedule),
            scheduledTime: ContextAttribute.scheduledTime,
          }),
          deadLetterQueue: deadLetters,
          retryAttempts: 3,
          maxEventAge: Duration.hours(2),
        }),
      });
      schedules.set(schedule.id, created);
    }
    this.deadLetters = deadLetters;
    return schedules;
  }

  /** Returns the HTTP API's default stage, with a route per catalog handler that has one. */
  private httpApi(
    stage: StageConfig,
    specs: readonly HandlerSpec[],
    functions: Map<HandlerId, NodeFunction>,
  ) {
    const accessLogs = stageLogGroup(this, 'ApiAccessLogs', stage, {
      logGroupName: `/aws/vendedlogs/apigateway/${resourceName(stage.name, 'api')}`,
    });
    const api = new HttpApi(this, 'Api', {
      apiName: resourceName(stage.name, 'api'),
      createDefaultStage: false,
      defaultAuthorizer: authorizerFor(stage),
      ...(stage.apiAuthorization === 'jwt' && stage.jwt && stage.jwt.scopes.length > 0
        ? { defaultAuthorizationScopes: stage.jwt.scopes }
        : {}),
    });
    const apiStage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: stage.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: API_ACCESS_LOG_FORMAT,
      },
    });
    for (const spec of specs) {
      const fn = functions.get(spec.id as HandlerId);
      if (!spec.route || !fn) continue;
      const routes = api.addRoutes({
        path: spec.route.path,
        methods: [HttpMethod[spec.route.method]],
        integration: new HttpLambdaIntegration(`${pascalCase(spec.id)}Integration`, fn.function),
        // Public routes (token-verified links) verify their own token; no API credential.
        ...(spec.route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
      if (spec.route.public) {
        for (const route of routes) {
          Validations.of(route).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              'Reached from a link in a message or a mail client’s one-click POST (RFC 8058), which carry no API credentials: the handler verifies the HMAC-signed token in the URL instead, or looks up the short link’s unguessable code and redirects only to the target stored for it.',
          });
        }
      }
    }
    return apiStage;
  }
}

/** Returns the default route authorizer of the stage: IAM (SigV4) or a JWT authorizer for its issuer. */
function authorizerFor(stage: StageConfig): IHttpRouteAuthorizer {
  if (stage.apiAuthorization === 'jwt') {
    if (!stage.jwt)
      throw new Error(`Stage ${stage.name}: apiAuthorization "jwt" needs jwt.issuer and jwt.audience.`);
    return new HttpJwtAuthorizer('JwtAuthorizer', stage.jwt.issuer, {
      authorizerName: resourceName(stage.name, 'jwt'),
      jwtAudience: stage.jwt.audience,
    });
  }
  return new HttpIamAuthorizer();
}

/** Returns `PaymentReminder` for `payment-reminder`: construct ids and output names. */
function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
