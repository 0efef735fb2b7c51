import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { journeys, resourceName } from '#catalog/catalog.ts';
import { loadStage } from '#infra/stages.ts';
import { actionsOf, logicalIdOf, type Synthesized, statementsOfFunction, synthStack } from './synth.ts';

const dev = loadStage('dev');
const fnName = (id: string) => resourceName('dev', id);

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthStack(dev, { bundle: false });
});

const idOf = (type: string, property: string, value: string) =>
  logicalIdOf(synthesized.template, type, property, value);
const functionId = () => idOf('AWS::Lambda::Function', 'FunctionName', fnName('record-run-status'));
const queueId = () => idOf('AWS::SQS::Queue', 'QueueName', fnName('run-status-dlq'));

describe('run status from execution status changes', () => {
  it('routes the ended executions of the stage’s journeys, and only theirs, to record-run-status', () => {
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      Name: fnName('run-status'),
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: journeys.map((journey) => ({
            Ref: idOf('AWS::StepFunctions::StateMachine', 'StateMachineName', fnName(journey.id)),
          })),
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    synthesized.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId(), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('may read and write items of the table but never delete one, and send what it failed on to its own dead-letter queue', () => {
    const statements = statementsOfFunction(synthesized.template, fnName('record-run-status'));
    const services = new Set(actionsOf(statements).map((a) => a.split(':')[0]));
    // Besides what every function has: its log group and traces; the pseudonym key keys its result events.
    expect(services).toEqual(new Set(['dynamodb', 'sqs', 'logs', 'xray', 'secretsmanager']));
    const table = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    // Reads the run (its position, its outcome), takes it off its count and records its outcome.
    expect(actionsOf(table).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(table.map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [idOf('AWS::DynamoDB::GlobalTable', 'TableName', fnName('table')), 'Arn'] },
    ]);
    const queue = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('sqs:')));
    expect(queue.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId(), 'Arn'] }]);
  });

  it('retries a failed invocation, then keeps the event in an encrypted queue with an alarm on it', () => {
    synthesized.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId() },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
    });
    synthesized.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: fnName('run-status-dlq'),
      SqsManagedSseEnabled: true,
    });
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: fnName('run-status-dead-letters'),
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
      Threshold: 1,
    });
  });
});
