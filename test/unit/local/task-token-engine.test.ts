import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import type { AslDefinition } from '#infra/local/asl.ts';
import { JourneyEngine, type LocalExecution } from '#infra/local/journey-engine.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';
import { startStepFunctionsApi } from '#infra/local/stepfunctions-api.ts';

const SEND = 'arn:aws:lambda:eu-west-1:000000000000:function:send';
const NEXT = 'arn:aws:lambda:eu-west-1:000000000000:function:next';
const FALLBACK = 'arn:aws:lambda:eu-west-1:000000000000:function:fallback';
const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:read-check';
const START = new Date('2026-12-01T07:00:00Z');
const HOUR = 3_600_000;

/** The read check's shape: the email Task waits for its token (48 h), a timeout or failure → the fallback. */
function readCheck(task: Record<string, unknown> = {}): AslDefinition {
  const definition: AslDefinition = {
    StartAt: 'SendEmail',
    States: {
      SendEmail: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: SEND,
          Payload: { 'customerId.$': '$.customerId', 'taskToken.$': '$$.Task.Token' },
        },
        TimeoutSeconds: 172_800,
        ResultPath: '$.read',
        Catch: [
          {
            ErrorEquals: ['States.Timeout', 'Klantreis.EmailNotRead'],
            ResultPath: '$.failure',
            Next: 'SendSms',
          },
        ],
        Next: 'NextStep',
        ...task,
      },
      SendSms: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: FALLBACK, 'Payload.$': '$' },
        ResultSelector: { 'at.$': '$.Payload.at' },
        ResultPath: '$.sms',
        Next: 'NextStep',
      },
      NextStep: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: NEXT, 'Payload.$': '$' },
        ResultSelector: { 'at.$': '$.Payload.at' },
        ResultPath: '$.next',
        End: true,
      },
    },
  };
  // `{ Catch: undefined }` removes a field.
  const email = definition.States.SendEmail as Record<string, unknown>;
  for (const [field, value] of Object.entries(email)) if (value === undefined) delete email[field];
  return definition;
}

const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
afterAll(() => dynamodb.destroy());

interface Harness {
  engine: JourneyEngine;
  clock: SimulatedClock;
  /** The tokens the email Task's function received, in order. */
  tokens: string[];
  /** The payload each fallback got. */
  fallbacks: unknown[];
  run(
    name?: string,
  ): Promise<{ status: string; output: Record<string, unknown>; error?: string; cause?: string }>;
}

/**
 * An engine running the read check. `onSend` runs inside the email Task's function (with its token);
 * `afterSend` runs after it, as the local feedback loop delivers the provider's events.
 */
function harness(
  options: {
    definition?: AslDefinition;
    onSend?: (engine: JourneyEngine, token: string) => void;
    afterSend?: (engine: JourneyEngine, token: string) => Promise<void> | void;
  } = {},
): Harness {
  // No real time passes outside executions either: every instant below is exact.
  const clock = new SimulatedClock(START, () => 0);
  const tokens: string[] = [];
  const fallbacks: unknown[] = [];
  // The token of the email Task whose function just ran: its feedback is delivered after it.
  let justSent: string | undefined;
  const at = async () => ({ at: clock.now().toISOString() });
  const engine: JourneyEngine = new JourneyEngine({
    stateMachines: new Map([[ARN, options.definition ?? readCheck()]]),
    lambdas: new Map<string, (payload: unknown) => Promise<unknown>>([
      [
        SEND,
        async (payload) => {
          const { taskToken } = payload as { taskToken: string };
          tokens.push(taskToken);
          justSent = taskToken;
          options.onSend?.(engine, taskToken);
          // Dropped: a token Task's result is what completes its token.
          return { ignored: true };
        },
      ],
      [NEXT, at],
      [
        FALLBACK,
        async (payload) => {
          fallbacks.push(payload);
          return at();
        },
      ],
    ]),
    dynamodb,
    clock,
    aroundLambda: async (call) => {
      const result = await call();
      const token = justSent;
      justSent = undefined;
      if (options.afterSend && token) await options.afterSend(engine, token);
      return result;
    },
  });
  return {
    engine,
    clock,
    tokens,
    fallbacks,
    async run(name = 'c-1') {
      const { execution } = engine.startExecution({
        stateMachineArn: ARN,
        name,
        input: JSON.stringify({ customerId: name }),
      });
      await execution.result;
      return {
        status: execution.status,
        output: execution.output ? JSON.parse(execution.output) : {},
        ...(execution.error !== undefined ? { error: execution.error } : {}),
        ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
      };
    },
  };
}

const errorName = (call: () => void) => {
  try {
    call();
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error';
};

describe('.waitForTaskToken in the local journey engine', () => {
  it('hands the function a fresh token per Task; SendTaskSuccess during the feedback delivery completes it at once', async () => {
    const h = harness({
      afterSend: (engine, token) => engine.sendTaskSuccess(token, JSON.stringify({ opened: true })),
    });
    const first = await h.run('c-1');
    const second = await h.run('c-2');

    expect(first.status).toBe('SUCCEEDED');
    // The token's output is the Task's result; the function's own return value is dropped.
    expect(first.output.read).toEqual({ opened: true });
    expect(first.output.sms).toBeUndefined();
    // No simulated time passed: the run went on the moment the email was read.
    expect(first.output.next).toEqual({ at: START.toISOString() });
    expect(second.status).toBe('SUCCEEDED');
    expect(h.tokens).toHaveLength(2);
    expect(new Set(h.tokens).size).toBe(2);
    expect(h.tokens.every((t) => t.length > 0 && !t.includes('placeholder'))).toBe(true);
  });

  it('lets the function complete its own token (nothing to check): the run goes on without waiting', async () => {
    const h = harness({ onSend: (engine, token) => engine.sendTaskSuccess(token, '{"check":"none"}') });
    const run = await h.run();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output.read).toEqual({ check: 'none' });
    expect(run.output.next).toEqual({ at: START.toISOString() });
  });

  it('fails the Task with the error and cause of SendTaskFailure: the Catch sends the SMS at once', async () => {
    const h = harness({
      afterSend: (engine, token) =>
        engine.sendTaskFailure(token, {
          error: 'Klantreis.EmailNotRead',
          cause: 'first reminder email not delivered (bounced)',
        }),
    });
    const run = await h.run();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output.failure).toEqual({
      Error: 'Klantreis.EmailNotRead',
      Cause: 'first reminder email not delivered (bounced)',
    });
    expect(run.output.sms).toEqual({ at: START.toISOString() });
    expect(h.fallbacks).toHaveLength(1);
  });

  it('times out after TimeoutSeconds of simulated time when nobody completes the token', async () => {
    const h = harness();
    const run = await h.run();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output.failure).toEqual({
      Error: 'States.Timeout',
      Cause: 'task token not completed within 172800 seconds',
    });
    // The SMS goes 48 hours after the email, on the execution's clock, and no real time was spent.
    expect(run.output.sms).toEqual({ at: new Date(START.getTime() + 48 * HOUR).toISOString() });
    // The token is spent: a late open answers TaskTimedOut, as Step Functions does.
    expect(errorName(() => h.engine.sendTaskSuccess(h.tokens[0] as string, '{}'))).toBe('TaskTimedOut');
  });

  it('reads the timeout from TimeoutSecondsPath in the state input', async () => {
    const definition = readCheck({ TimeoutSeconds: undefined, TimeoutSecondsPath: '$.checkSeconds' });
    const h = harness({ definition });
    const { execution } = h.engine.startExecution({
      stateMachineArn: ARN,
      name: 'path',
      input: JSON.stringify({ customerId: 'c-1', checkSeconds: 3600 }),
    });
    await execution.result;
    expect(JSON.parse(execution.output ?? '{}').sms).toEqual({
      at: new Date(START.getTime() + HOUR).toISOString(),
    });
  });

  it('fails with States.HeartbeatTimeout when no heartbeat comes within HeartbeatSeconds (a Catch on States.Timeout takes it)', async () => {
    const h = harness({ definition: readCheck({ HeartbeatSeconds: 600 }) });
    const run = await h.run();
    expect(run.output.failure).toEqual({
      Error: 'States.HeartbeatTimeout',
      Cause: 'no heartbeat within 600 seconds',
    });
    expect(run.output.sms).toEqual({ at: new Date(START.getTime() + 600_000).toISOString() });
  });

  it('fails the execution with States.Timeout when no Catch takes it', async () => {
    const h = harness({
      definition: readCheck({
        Catch: [{ ErrorEquals: ['Klantreis.EmailNotRead'], ResultPath: '$.failure', Next: 'SendSms' }],
      }),
    });
    const run = await h.run();
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('ends a waiting Task when its execution is stopped: its token then answers TaskTimedOut', async () => {
    const h = harness();
    const waiting = h.engine.pauseAt('SendEmail');
    const { execution } = h.engine.startExecution({
      stateMachineArn: ARN,
      name: 'stopped',
      input: JSON.stringify({ customerId: 'c-1' }),
    });
    await waiting.reached(execution);
    h.engine.stopExecution(execution.executionArn, { error: 'Klantreis.Stopped', cause: 'goal reached' });
    // Never released: it rejects if the stopped run were still held.
    await h.engine.whenIdle();
    expect(execution.status).toBe('ABORTED');
    expect(h.fallbacks).toHaveLength(0);
    expect(errorName(() => h.engine.sendTaskSuccess(h.tokens[0] as string, '{}'))).toBe('TaskTimedOut');
  });

  it('answers an unknown, malformed, reused or badly completed token as Step Functions does', async () => {
    const h = harness({
      afterSend: (engine, token) => {
        expect(errorName(() => engine.sendTaskSuccess(token, 'not json'))).toBe('InvalidOutput');
        engine.sendTaskSuccess(token, '{}');
      },
    });
    await h.run();
    const used = h.tokens[0] as string;
    expect(errorName(() => h.engine.sendTaskSuccess(used, '{}'))).toBe('TaskTimedOut');
    expect(errorName(() => h.engine.sendTaskFailure(used, { error: 'x' }))).toBe('TaskTimedOut');
    expect(errorName(() => h.engine.sendTaskHeartbeat(used))).toBe('TaskTimedOut');
    expect(errorName(() => h.engine.sendTaskSuccess('not-a-token', '{}'))).toBe('InvalidToken');
    const unknown = used.replace(/[0-9a-f]{12}$/, '000000000000');
    expect(errorName(() => h.engine.sendTaskSuccess(unknown, '{}'))).toBe('TaskDoesNotExist');
  });

  it('serves SendTaskSuccess and SendTaskFailure to the real SFN client to a Task held while it waits', async () => {
    const h = harness();
    const waiting = h.engine.pauseAt('SendEmail');
    const api = await startStepFunctionsApi(h.engine);
    const sfn = new SFNClient({
      endpoint: api.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const running = h.run('api');
      await waiting.reached(h.engine.listExecutions()[0] as LocalExecution);
      const taskToken = h.tokens[0] as string;
      // Completing the token ends the hold: the run goes on without a release.
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"clicked":true}' }));
      const run = await running;
      expect(run.output.read).toEqual({ clicked: true });
      // No simulated time passed while it was held.
      expect(run.output.next).toEqual({ at: START.toISOString() });

      const late = sfn.send(
        new SendTaskFailureCommand({ taskToken, error: 'Klantreis.EmailNotRead', cause: 'bounced' }),
      );
      await expect(late).rejects.toMatchObject({ name: 'TaskTimedOut' });
      await expect(
        sfn.send(new SendTaskSuccessCommand({ taskToken: 'x', output: '{}' })),
      ).rejects.toMatchObject({
        name: 'InvalidToken',
      });
    } finally {
      sfn.destroy();
      await api.stop();
    }
  });
});
