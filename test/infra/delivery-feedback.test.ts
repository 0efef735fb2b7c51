import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HandlerSpec, handlers, resourceName } from '#catalog/catalog.ts';
import { EMAIL_FEEDBACK_DETAIL_TYPES } from '#infra/constructs/delivery-feedback.ts';
import { loadStage } from '#infra/stages.ts';
import {
  actionsOf,
  allowing,
  logicalIdOf,
  type Synthesized,
  statementsOfFunction,
  synthStack,
} from './synth.ts';

const dev = loadStage('dev');
const fnName = (id: string) => resourceName('dev', id);

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthStack(dev, { bundle: false });
});

const functionId = (id: string) =>
  logicalIdOf(synthesized.template, 'AWS::Lambda::Function', 'FunctionName', fnName(id));

describe('email feedback', () => {
  it('sends through a configuration set of the stage, which SES also suppresses bounces and complaints on', () => {
    synthesized.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'klantreis-dev-email',
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('publishes send (accepted), delivery, bounce, complaint, open and click events to the default EventBridge bus', () => {
    synthesized.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: {
        Ref: logicalIdOf(synthesized.template, 'AWS::SES::ConfigurationSet', 'Name', 'klantreis-dev-email'),
      },
      EventDestination: Match.objectLike({
        Enabled: true,
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
        MatchingEventTypes: Match.arrayWith(['send', 'delivery', 'bounce', 'complaint', 'open', 'click']),
      }),
    });
  });

  it('routes only this configuration set’s SES events to the email feedback handler, with a dead-letter queue', () => {
    // `Email Sent` links a send whose answer the step lost (see send-step.ts).
    expect(EMAIL_FEEDBACK_DETAIL_TYPES).toContain('Email Sent');
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': EMAIL_FEEDBACK_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': ['klantreis-dev-email'] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId('record-email-feedback'), 'Arn'] },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    synthesized.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId('record-email-feedback'), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('tells run-journey-step the configuration set and the SES rate, and lets it send only through its identity and set', () => {
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: fnName('run-journey-step'),
      Environment: {
        Variables: Match.objectLike({
          SES_CONFIGURATION_SET: 'klantreis-dev-email',
          EMAIL_MAX_PER_SECOND: String(dev.sesMaxSendRate),
          SMS_MAX_PER_SECOND: String(dev.smsMaxPerSecond),
          SMS_SENDER_ID: dev.smsSenderId,
        }),
      },
    });
    const ses = allowing(
      statementsOfFunction(synthesized.template, fnName('run-journey-step')),
      'ses:SendEmail',
    );
    expect(JSON.stringify(ses.map((s) => s.Resource))).toContain(':configuration-set/klantreis-dev-email');
  });
});

describe('SMS feedback', () => {
  const topicId = (name: string) =>
    logicalIdOf(synthesized.template, 'AWS::SNS::Topic', 'TopicName', fnName(name));

  it.each(['sms-inbound', 'sms-events'])('subscribes the SMS feedback handler to the %s topic', (name) => {
    synthesized.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId(name) },
      Endpoint: { 'Fn::GetAtt': [functionId('record-sms-feedback'), 'Arn'] },
    });
    synthesized.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId(name) },
      FunctionName: { 'Fn::GetAtt': [functionId('record-sms-feedback'), 'Arn'] },
    });
  });

  it.each(['sms-inbound', 'sms-events'])(
    'lets only End User Messaging SMS of this account publish to %s, over TLS',
    (name) => {
      synthesized.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId(name) }],
        PolicyDocument: {
          // arrayWith keeps order: the TLS-only deny comes first.
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'sms-voice.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    },
  );
});

/** The handlers that receive provider feedback (the catalog's `feedback`). */
const feedbackHandlers = handlers.filter((h) => 'feedback' in h) as readonly HandlerSpec[];

describe('feedback handlers', () => {
  it.each(feedbackHandlers.map((h) => h.id))(
    '%s retries twice, then parks the event in the encrypted dead-letter queue',
    (id) => {
      synthesized.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId(id) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
      synthesized.template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: fnName('feedback-dlq'),
        SqsManagedSseEnabled: true,
      });
    },
  );

  it.each(feedbackHandlers.map((h) => [h.id, h] as const))(
    '%s writes the table and can neither delete, send nor start journeys',
    (id, spec) => {
      const actions = actionsOf(statementsOfFunction(synthesized.template, fnName(id)));
      expect(actions).toEqual(
        expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem']),
      );
      // Completing a journey Task waiting for an email to be read is the only Step Functions call, and only
      // for the handlers that need it (email feedback).
      const completes = (spec.needs ?? []).includes('complete-journey-tasks')
        ? ['states:SendTaskSuccess', 'states:SendTaskFailure']
        : [];
      expect(
        actions.filter(
          (a) => /^(ses|sns|states):|^dynamodb:(Delete|BatchWrite)|\*/.test(a) && !completes.includes(a),
        ),
      ).toEqual([]);
      expect(new Set(actions.filter((a) => a.startsWith('states:')))).toEqual(new Set(completes));
    },
  );

  it('get-conversation only reads the table, and not through its index', () => {
    const statements = statementsOfFunction(synthesized.template, fnName('get-conversation'));
    const actions = actionsOf(statements);
    expect(actions).toContain('dynamodb:Query');
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)|\*/.test(a))).toEqual([]);
    expect(JSON.stringify(allowing(statements, 'dynamodb:Query').map((s) => s.Resource))).not.toContain(
      '/index/',
    );
  });

  it('serves the conversation on GET /customers/{customerId}/conversation', () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /customers/{customerId}/conversation',
    });
  });
});
