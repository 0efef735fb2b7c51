/**
 * The read check as a callback, end to end on the local runtime's parts: a test journey whose email
 * Task waits for its token (48 h), the step keeping the token on the send record (DynamoDB), the
 * local feedback loop delivering SES's events to the real record-email-feedback handler, which
 * completes or fails the token through the Step Functions API (real SFN client) — or nobody does and
 * the Task times out in simulated time into the Catch that sends the SMS.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient, createDynamoDbDocumentClient } from '#adapters/aws-clients.ts';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import { DynamoTaskCallbacks } from '#adapters/dynamo/task-callbacks.ts';
import { localPseudonymKey } from '#adapters/pseudonym-key-source.ts';
import { SfnTaskCallbacks } from '#adapters/sfn-task-callbacks.ts';
import { answerTaskToken } from '#application/task-token-step.ts';
import * as recordEmailFeedback from '#handlers/record-email-feedback.ts';
import type { AslDefinition } from '#infra/local/asl.ts';
import { createTable, type RunningDynamoDb, startDynamoDb } from '#infra/local/emulators/dynamodb.ts';
import { LocalFeedbackLoop, SES_SIMULATOR } from '#infra/local/feedback-loop.ts';
import { JourneyEngine } from '#infra/local/journey-engine.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';
import { type LocalStepFunctionsApi, startStepFunctionsApi } from '#infra/local/stepfunctions-api.ts';
import { lambdaContext } from '../fixtures/lambda.ts';

const TABLE = 'klantreis-read-check-test';
const REMINDER = 'arn:aws:lambda:eu-west-1:000000000000:function:reminder';
const SMS = 'arn:aws:lambda:eu-west-1:000000000000:function:sms';
const SECOND = 'arn:aws:lambda:eu-west-1:000000000000:function:second';
const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:payment-reminder';
const START = new Date('2026-12-01T09:00:00Z');
const HOUR = 3_600_000;
const OPENER = 'opener@example.nl';

/** The payment reminder's first steps as the token design wires them (the shape to give the journey). */
const journey: AslDefinition = {
  StartAt: 'FirstReminder',
  States: {
    FirstReminder: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: REMINDER,
        Payload: {
          'runId.$': '$$.Execution.Name',
          'customerId.$': '$.customerId',
          'to.$': '$.to',
          'taskToken.$': '$$.Task.Token',
        },
      },
      TimeoutSeconds: 172_800,
      ResultSelector: { 'progress.$': '$' },
      ResultPath: '$.journey',
      Catch: [
        {
          ErrorEquals: ['States.Timeout', 'Klantreis.EmailNotRead'],
          ResultPath: '$.readCheck',
          Next: 'FirstReminderBySms',
        },
      ],
      Next: 'WaitForSecondReminder',
    },
    FirstReminderBySms: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: SMS, 'Payload.$': '$' },
      ResultSelector: { 'progress.$': '$.Payload' },
      ResultPath: '$.journey',
      Next: 'WaitForSecondReminder',
    },
    WaitForSecondReminder: {
      Type: 'Wait',
      TimestampPath: '$.journey.progress.wakeAt',
      Next: 'SecondReminder',
    },
    SecondReminder: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: SECOND, Payload: {} },
      ResultSelector: { 'at.$': '$.Payload.at' },
      ResultPath: '$.second',
      End: true,
    },
  },
};

let dynamo: RunningDynamoDb;
let client: DynamoDBClient;
let api: LocalStepFunctionsApi;
let sfn: SFNClient;
let engine: JourneyEngine;
let repository: DynamoRepository;
let store: DynamoTaskCallbacks;
const smsSent: Array<{ customerId: string; at: string; readCheck: unknown }> = [];

beforeAll(async () => {
  dynamo = await startDynamoDb({ port: 0 });
  client = createDynamoDbClient({ endpoint: dynamo.endpoint });
  await createTable(client, TABLE);
  const clock = new SimulatedClock(START, () => 0);
  const doc = createDynamoDbDocumentClient({ client });
  repository = dynamoRepository(doc, TABLE, {
    bodyRetentionDays: 30,
    clock,
    pseudonymKey: localPseudonymKey('test'),
  });
  store = new DynamoTaskCallbacks(doc, TABLE);
  let feedback: LocalFeedbackLoop | undefined;
  let messages = 0;
  const lambdas = new Map<string, (payload: unknown) => Promise<unknown>>([
    [
      REMINDER,
      // The step: send the email, record it, then keep the token with the progress once read.
      async (payload) => {
        const { runId, customerId, to, taskToken } = payload as Record<string, string>;
        const email = (feedback as LocalFeedbackLoop).emailSender({
          sendEmail: async () => ({ providerMessageId: `ses-${++messages}` }),
        });
        const { providerMessageId } = await email.sendEmail({
          to: to as string,
          subject: 'Herinnering',
          html: '<p>Herinnering</p>',
          text: 'Herinnering',
          tags: { journey: 'payment-reminder', step: 'first-reminder' },
        });
        const key = `${runId}#first-reminder`;
        const at = clock.now();
        await repository.completeSend(customerId as string, {
          key,
          status: 'sent',
          channel: 'email',
          providerMessageId,
          at: at.toISOString(),
          fallback: 'sms',
        });
        const next = { action: 'next', wakeAt: new Date(at.getTime() + 168 * HOUR).toISOString() };
        await answerTaskToken({ callbacks: new SfnTaskCallbacks(sfn), store }, taskToken as string, {
          kind: 'await-read',
          customerId: customerId as string,
          key,
          stepId: 'first-reminder',
          output: next,
        });
        return null;
      },
    ],
    [
      SMS,
      async (payload) => {
        const { customerId, readCheck } = payload as { customerId: string; readCheck: unknown };
        const at = clock.now();
        smsSent.push({ customerId, at: at.toISOString(), readCheck });
        return { action: 'next', wakeAt: new Date(at.getTime() + 168 * HOUR).toISOString() };
      },
    ],
    [SECOND, async () => ({ at: clock.now().toISOString() })],
  ]);
  engine = new JourneyEngine({
    stateMachines: new Map([[ARN, journey]]),
    lambdas,
    dynamodb: client,
    clock,
    aroundLambda: (call) => (feedback ? feedback.aroundTask(call) : call()),
  });
  api = await startStepFunctionsApi(engine);
  sfn = new SFNClient({
    endpoint: api.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const emailFeedback = recordEmailFeedback.makeHandler({
    deliveries: repository,
    suppressions: repository,
    consents: repository,
    customers: repository,
    timeline: repository,
    clock,
    taskCallbacks: { store, callbacks: new SfnTaskCallbacks(sfn) },
  });
  feedback = new LocalFeedbackLoop({
    clock,
    emailFeedback: (event) => emailFeedback(event, lambdaContext),
    smsFeedback: async () => undefined,
    configurationSetName: 'klantreis-test-email',
    emailOpeners: [OPENER],
    region: 'eu-west-1',
    account: '000000000000',
  });
});

afterAll(async () => {
  sfn?.destroy();
  await api?.stop();
  client?.destroy();
  await dynamo?.stop();
});

async function run(customerId: string, to: string) {
  const { execution } = engine.startExecution({
    stateMachineArn: ARN,
    name: `${customerId}-INV-1`,
    input: JSON.stringify({ customerId, to }),
  });
  await execution.result;
  const output = JSON.parse(execution.output ?? '{}') as { second?: { at: string } };
  return { execution, secondAt: output.second?.at, sms: smsSent.filter((s) => s.customerId === customerId) };
}

describe('the 48-hour read check as a task token', () => {
  it('an opened email completes the Task at once: no SMS, straight to the wait for the second reminder', async () => {
    const { execution, secondAt, sms } = await run('c-open', OPENER);
    expect(execution.status).toBe('SUCCEEDED');
    expect(sms).toEqual([]);
    // Three transitions for the reminder and its check (the Task, the Wait, the next Task): no visit at 48 h.
    expect(execution.statesEntered).toEqual(['FirstReminder', 'WaitForSecondReminder', 'SecondReminder']);
    expect(execution.lambdaInvocations).toBe(2);
    expect(secondAt).toBe(new Date(START.getTime() + 168 * HOUR).toISOString());
    // The callback was used and cleared; the open is on the send record as before.
    const record = await repository.getSend('c-open', 'c-open-INV-1#first-reminder');
    expect(record).toMatchObject({ engagement: 'opened', deliveryStatus: 'delivered' });
    expect(await store.getTaskCallback('c-open', 'c-open-INV-1#first-reminder')).toBeUndefined();
  });

  it('an email not opened: the Task times out after 48 hours of simulated time and the Catch sends the SMS', async () => {
    const { execution, secondAt, sms } = await run('c-unread', 'unread@example.nl');
    expect(execution.status).toBe('SUCCEEDED');
    expect(sms).toEqual([
      {
        customerId: 'c-unread',
        at: new Date(START.getTime() + 48 * HOUR).toISOString(),
        readCheck: { Error: 'States.Timeout', Cause: 'task token not completed within 172800 seconds' },
      },
    ]);
    expect(execution.statesEntered).toEqual([
      'FirstReminder',
      'FirstReminderBySms',
      'WaitForSecondReminder',
      'SecondReminder',
    ]);
    expect(secondAt).toBe(new Date(START.getTime() + (48 + 168) * HOUR).toISOString());
  });

  it('a bounce fails the Task with Klantreis.EmailNotRead: the SMS goes at once', async () => {
    const { sms } = await run('c-bounce', SES_SIMULATOR.bounce);
    expect(sms).toEqual([
      {
        customerId: 'c-bounce',
        at: START.toISOString(),
        readCheck: { Error: 'Klantreis.EmailNotRead', Cause: 'first reminder email not delivered (bounced)' },
      },
    ]);
  });
});
