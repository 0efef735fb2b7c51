import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { AslDefinition } from '#infra/local/asl.ts';
import { JourneyEngine } from '#infra/local/journey-engine.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';
import { TaskSlots } from '#infra/local/task-slots.ts';

const FN = 'arn:aws:lambda:eu-west-1:000000000000:function:step';
const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:steps';

// Two Lambda Tasks with a day's Wait between: what a journey's message steps look like.
const machine: AslDefinition = {
  StartAt: 'First',
  States: {
    First: { Type: 'Task', Resource: FN, ResultPath: null, Next: 'Later' },
    Later: { Type: 'Wait', Seconds: 86_400, Next: 'Second' },
    Second: { Type: 'Task', Resource: FN, ResultPath: null, End: true },
  },
};

const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
afterAll(() => dynamodb.destroy());

/** A Lambda that counts how many of its calls are going at once, each held until `releaseAll`. */
function heldLambda() {
  let going = 0;
  let most = 0;
  let calls = 0;
  const held: Array<() => void> = [];
  const started: Array<() => void> = [];
  return {
    lambda: async () => {
      going += 1;
      calls += 1;
      most = Math.max(most, going);
      for (const wake of started.splice(0)) wake();
      await new Promise<void>((resolve) => held.push(resolve));
      going -= 1;
      return {};
    },
    /** Resolves once `n` calls have started. */
    startedCalls: async (n: number) => {
      while (calls < n) await new Promise<void>((resolve) => started.push(resolve));
    },
    releaseAll: () => {
      for (const release of held.splice(0)) release();
    },
    get most() {
      return most;
    },
    get calls() {
      return calls;
    },
  };
}

describe('task slots', () => {
  it('runs at most its size at once, the rest in the order they came', async () => {
    const slots = new TaskSlots(2);
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => Promise.withResolvers<void>());
    const runs = gates.map((gate, i) =>
      slots.run(async () => {
        order.push(i);
        await gate.promise;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([0, 1]);
    gates[1]?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('while a call it gives way to goes, starts tasks only below the smaller bound, and all once it ends', async () => {
    const slots = new TaskSlots(3, { whileGivingWay: 1 });
    const started: number[] = [];
    const api = Promise.withResolvers<void>();
    const answered = slots.givingWay(() => api.promise);
    const gates = Array.from({ length: 4 }, () => Promise.withResolvers<void>());
    const runs = gates.map((gate, i) =>
      slots.run(async () => {
        started.push(i);
        await gate.promise;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0]);
    gates[0]?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    api.resolve();
    await answered;
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
  });

  it('frees the slot of a task that failed', async () => {
    const slots = new TaskSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('the journey engine bounds the task calls going at once across executions', () => {
  it('many executions: never more Lambda calls at once than its slots, and every run still ends', async () => {
    const step = heldLambda();
    const engine = new JourneyEngine({
      stateMachines: new Map([[ARN, machine]]),
      lambdas: new Map([[FN, step.lambda]]),
      dynamodb,
      clock: new SimulatedClock(new Date('2026-12-01T07:00:00Z')),
      taskSlots: 3,
    });
    const executions = Array.from(
      { length: 10 },
      (_, i) => engine.startExecution({ stateMachineArn: ARN, name: `run-${i}`, input: '{}' }).execution,
    );
    await step.startedCalls(3);
    // Every execution has reached its first Task by now; only three of their calls may be going.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(step.calls).toBe(3);
    while (executions.some((e) => e.status === 'RUNNING')) {
      step.releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(step.most).toBe(3);
    expect(step.calls).toBe(20);
    expect(executions.map((e) => e.status)).toEqual(Array(10).fill('SUCCEEDED'));
  });
});
