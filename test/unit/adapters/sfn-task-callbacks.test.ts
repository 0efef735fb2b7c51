/** The Step Functions callback adapter, with the real SFN client against the local API and engine. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { SfnTaskCallbacks } from '#adapters/sfn-task-callbacks.ts';
import { JourneyEngine } from '#infra/local/journey-engine.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';
import { startStepFunctionsApi } from '#infra/local/stepfunctions-api.ts';

const FN = 'arn:aws:lambda:eu-west-1:000000000000:function:send';
const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:wait';
const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
afterAll(() => dynamodb.destroy());

describe('SfnTaskCallbacks', () => {
  it('completes and fails waiting Tasks, and answers false for a Task that no longer waits', async () => {
    const tokens: string[] = [];
    const engine = new JourneyEngine({
      stateMachines: new Map([
        [
          ARN,
          {
            StartAt: 'Wait',
            States: {
              Wait: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Parameters: { FunctionName: FN, Payload: { 'taskToken.$': '$$.Task.Token' } },
                TimeoutSeconds: 60,
                End: true,
              },
            },
          },
        ],
      ]),
      lambdas: new Map([
        [
          FN,
          async (payload: unknown) => {
            tokens.push((payload as { taskToken: string }).taskToken);
            return null;
          },
        ],
      ]),
      dynamodb,
      clock: new SimulatedClock(new Date('2026-12-01T07:00:00Z')),
    });
    // Every run is held while its Task waits for its token, until the token is completed.
    const waiting = engine.pauseAt('Wait');
    const api = await startStepFunctionsApi(engine);
    const client = new SFNClient({
      endpoint: api.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const callbacks = new SfnTaskCallbacks(client);
    const start = async (name: string) => {
      const { execution } = engine.startExecution({ stateMachineArn: ARN, name, input: '{}' });
      await waiting.reached(execution);
      return { execution, token: tokens.shift() as string };
    };
    try {
      const read = await start('read');
      expect(await callbacks.succeed(read.token, { action: 'next' })).toBe(true);
      await read.execution.result;
      expect(JSON.parse(read.execution.output ?? 'null')).toEqual({ action: 'next' });
      // Completed already (a second open, or the step and the feedback racing): no error.
      expect(await callbacks.succeed(read.token, { action: 'next' })).toBe(false);

      const bounced = await start('bounced');
      expect(await callbacks.fail(bounced.token, { error: 'Klantreis.EmailNotRead', cause: 'bounced' })).toBe(
        true,
      );
      await bounced.execution.result;
      expect(bounced.execution).toMatchObject({
        status: 'FAILED',
        error: 'Klantreis.EmailNotRead',
        cause: 'bounced',
      });
      expect(await callbacks.fail('not-a-token', { error: 'x', cause: 'y' })).toBe(false);
    } finally {
      client.destroy();
      await api.stop();
    }
  });
});
