/**
 * Pause points of the local journey engine: a run held in a wait stays there, on the wait's
 * simulated time, until released or stopped; whatever happens meanwhile happens mid-wait on any load.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { AslDefinition } from '#infra/local/asl.ts';
import { JourneyEngine, type LocalExecution } from '#infra/local/journey-engine.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';

const SEND = 'arn:aws:lambda:eu-west-1:000000000000:function:send';
const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:reminders';
const START = new Date('2026-12-01T07:00:00Z');
const HOUR = 3_600_000;

// Two sends an hour apart: Task, Wait, Task.
const reminders: AslDefinition = {
  StartAt: 'First',
  States: {
    First: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: SEND, Payload: { step: 'first', 'customerId.$': '$.customerId' } },
      ResultPath: null,
      Next: 'WaitAnHour',
    },
    WaitAnHour: { Type: 'Wait', Seconds: 3600, Next: 'Second' },
    Second: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: SEND, Payload: { step: 'second', 'customerId.$': '$.customerId' } },
      ResultPath: null,
      End: true,
    },
  },
};

const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
afterAll(() => dynamodb.destroy());

function harness() {
  // No real time passes outside executions either: every instant below is exact.
  const clock = new SimulatedClock(START, () => 0);
  const sends: Array<{ step: string; customerId: string; at: string }> = [];
  const engine = new JourneyEngine({
    stateMachines: new Map([[ARN, reminders]]),
    lambdas: new Map([
      [
        SEND,
        async (payload: unknown) => {
          sends.push({ ...(payload as { step: string; customerId: string }), at: clock.now().toISOString() });
          return {};
        },
      ],
    ]),
    dynamodb,
    clock,
  });
  const start = (customerId: string): LocalExecution =>
    engine.startExecution({ stateMachineArn: ARN, name: customerId, input: JSON.stringify({ customerId }) })
      .execution;
  const forCustomer = (customerId: string) => (e: LocalExecution) =>
    JSON.parse(e.input).customerId === customerId;
  return { engine, sends, start, forCustomer };
}

describe('pause points of the local journey engine', () => {
  it('holds the matching run in the wait until released, then it goes on at the wait’s end', async () => {
    const { engine, sends, start, forCustomer } = harness();
    const wait = engine.pauseAt('WaitAnHour', forCustomer('held'));
    const held = start('held');
    const other = start('other');
    await wait.reached(held);
    await other.result;
    // The other run passed the same wait; the held one sent its first message only.
    expect(sends.filter((s) => s.customerId === 'held').map((s) => s.step)).toEqual(['first']);
    expect(held.status).toBe('RUNNING');
    expect(held.statesEntered).toEqual(['First', 'WaitAnHour']);

    wait.release(held);
    await held.result;
    expect(held.status).toBe('SUCCEEDED');
    expect(sends.filter((s) => s.customerId === 'held')).toEqual([
      { step: 'first', customerId: 'held', at: START.toISOString() },
      { step: 'second', customerId: 'held', at: new Date(START.getTime() + HOUR).toISOString() },
    ]);
    // The history still shows a Wait state.
    expect(engine.stateTypeOf(ARN, 'WaitAnHour')).toBe('Wait');
  });

  it('makes whenIdle reject, naming the run, while only held runs are left', async () => {
    const { engine, start } = harness();
    const wait = engine.pauseAt('WaitAnHour');
    const run = start('c-1');
    await expect(engine.whenIdle()).rejects.toThrow(`${run.executionArn} at WaitAnHour`);
    wait.release();
    await engine.whenIdle();
    expect(run.status).toBe('SUCCEEDED');
  });

  it('ends the hold when the run is stopped: it never goes on, and whenIdle resolves', async () => {
    const { engine, sends, start } = harness();
    const wait = engine.pauseAt('WaitAnHour');
    const run = start('c-1');
    await wait.reached(run);
    engine.stopExecution(run.executionArn, { error: 'Klantreis.Stopped', cause: 'goal reached' });
    await engine.whenIdle();
    expect(run.status).toBe('ABORTED');
    expect(sends.map((s) => s.step)).toEqual(['first']);
  });

  it('tells a test waiting for a run that never pauses there which path it took, instead of hanging', async () => {
    const { engine, start, forCustomer } = harness();
    const wait = engine.pauseAt('WaitAnHour', forCustomer('someone-else'));
    const run = start('c-1');
    await expect(wait.reached(run)).rejects.toThrow(
      'never reached WaitAnHour (SUCCEEDED): First → WaitAnHour → Second',
    );
  });

  it('lets every run through once the point is released as a whole, and holds each run once', async () => {
    const { engine, start } = harness();
    const wait = engine.pauseAt('WaitAnHour');
    const first = start('c-1');
    await wait.reached(first);
    // Reached already: resolves at once, also after the release.
    wait.release();
    await wait.reached(first);
    const later = start('c-2');
    await later.result;
    expect([first.status, later.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('refuses a pause point on a state where nothing waits', () => {
    const { engine } = harness();
    expect(() => engine.pauseAt('First')).toThrow('no Wait state or .waitForTaskToken Task named First');
    expect(() => engine.pauseAt('NoSuchState')).toThrow(/NoSuchState/);
  });
});
