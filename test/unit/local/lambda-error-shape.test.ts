import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { deferredWakeOf, NotYet, RunEnded } from '#core/journey-control.ts';
import { RunJourneyStepInputSchema } from '#core/journey-step-run.ts';
import type { AslDefinition } from '#infra/local/asl.ts';
import { JourneyEngine } from '#infra/local/journey-engine.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';

const FN = 'arn:aws:lambda:eu-west-1:000000000000:function:step';
const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:steps';
const START = new Date('2026-12-01T07:00:00Z');

// A one-Task message step: Task → End, with a deferral (Catch → Pass → Wait → the same Task) and an early end.
const machine: AslDefinition = {
  StartAt: 'Step',
  States: {
    Step: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: FN, 'Payload.$': '$' },
      ResultSelector: { 'progress.$': '$.Payload' },
      ResultPath: '$.journey',
      Catch: [
        { ErrorEquals: ['Klantreis.NotYet'], ResultPath: '$.journey.deferral', Next: 'DeferStep' },
        { ErrorEquals: ['Klantreis.RunEnded'], ResultPath: '$.ended', Next: 'Done' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Failed' },
      ],
      End: true,
    },
    DeferStep: {
      Type: 'Pass',
      Parameters: { 'wake.$': 'States.StringToJson($.journey.deferral.Cause)' },
      ResultPath: '$.journey.deferral',
      Next: 'WaitAgainStep',
    },
    WaitAgainStep: { Type: 'Wait', TimestampPath: '$.journey.deferral.wake.errorMessage', Next: 'Step' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Pass', End: true },
  },
};

const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
afterAll(() => dynamodb.destroy());

async function run(lambda: (payload: unknown, clock: SimulatedClock) => Promise<unknown>) {
  const clock = new SimulatedClock(START);
  const payloads: unknown[] = [];
  const engine = new JourneyEngine({
    stateMachines: new Map([[ARN, machine]]),
    lambdas: new Map([
      [
        FN,
        async (payload: unknown) => {
          payloads.push(structuredClone(payload));
          return lambda(payload, clock);
        },
      ],
    ]),
    dynamodb,
    clock,
  });
  const { execution } = engine.startExecution({
    stateMachineArn: ARN,
    name: 'run-1',
    input: JSON.stringify({ journey: { progress: null } }),
  });
  await execution.result;
  return { execution, payloads, output: JSON.parse(execution.output ?? 'null') as Record<string, unknown> };
}

describe('a handler error reaches the state machine as a Lambda function error does on AWS', () => {
  it('is caught by its name, with Cause the JSON {errorType, errorMessage, trace}, which a Pass parses', async () => {
    const wake = new Date('2026-12-01T09:15:00Z');
    let visits = 0;
    let visitedAt: Date | undefined;
    const { execution, payloads } = await run(async (_payload, clock) => {
      visits += 1;
      if (visits === 1) throw new NotYet(wake);
      visitedAt = clock.now();
      return { outcome: 'sent' };
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.statesEntered).toEqual(['Step', 'DeferStep', 'WaitAgainStep', 'Step']);
    // The second visit sees the wake it asked for, and runs at it on the simulated clock.
    expect(payloads[1]).toMatchObject({
      journey: { deferral: { wake: { errorType: 'Klantreis.NotYet', errorMessage: wake.toISOString() } } },
    });
    expect(visitedAt?.toISOString()).toBe(wake.toISOString());
  });

  it('hands a busy deferral’s refusals so far to the next visit, through the Cause’s trace the Pass keeps', async () => {
    const wakes = [new Date('2026-12-01T09:05:00Z'), new Date('2026-12-01T09:12:00Z')];
    let visits = 0;
    const { execution, payloads } = await run(async () => {
      visits += 1;
      if (visits <= 2)
        throw new NotYet(wakes[visits - 1] as Date, { tries: visits, onSupporting: visits === 2 });
      return { outcome: 'sent' };
    });
    expect(execution.status).toBe('SUCCEEDED');
    // What each visit reads from its input (parsed as the step's handler parses it).
    const busyOf = (payload: unknown) =>
      deferredWakeOf(
        RunJourneyStepInputSchema.shape.journey.parse((payload as { journey?: unknown }).journey)?.deferral,
      )?.busy ?? null;
    expect(payloads.map(busyOf)).toEqual([
      null,
      { tries: 1, onSupporting: false },
      { tries: 2, onSupporting: true },
    ]);
  });

  it('hands a maybe-sent deferral’s message (tone, locale) to the next visit alongside its busy tries', async () => {
    const wake = new Date('2026-12-01T19:10:00Z');
    let visits = 0;
    const { payloads } = await run(async () => {
      visits += 1;
      if (visits === 1) {
        throw new NotYet(
          wake,
          { tries: 1, onSupporting: false },
          {
            tone: 'firm',
            locale: 'nl-BE',
            supporting: true,
          },
        );
      }
      return { outcome: 'sent' };
    });
    const deferralOf = (payload: unknown) =>
      deferredWakeOf(
        RunJourneyStepInputSchema.shape.journey.parse((payload as { journey?: unknown }).journey)?.deferral,
      );
    expect(deferralOf(payloads[1])).toMatchObject({
      busy: { tries: 1, onSupporting: false },
      maybeSent: { tone: 'firm', locale: 'nl-BE', supporting: true },
    });
    // A deferral for anything else carries no maybe-sent message: its visit reads no send record first.
    expect(
      deferredWakeOf({ wake: { errorType: 'Klantreis.NotYet', errorMessage: wake.toISOString() } }),
    ).toMatchObject({ maybeSent: null });
  });

  it('ends the run through the Catch of the named error; any other error reaches States.ALL', async () => {
    const ended = await run(async () => {
      throw new RunEnded('goal reached');
    });
    expect(ended.execution.statesEntered).toEqual(['Step', 'Done']);
    expect(ended.output.ended).toMatchObject({ Error: 'Klantreis.RunEnded' });
    expect(JSON.parse(String((ended.output.ended as { Cause: string }).Cause))).toMatchObject({
      errorType: 'Klantreis.RunEnded',
      errorMessage: 'goal reached',
    });

    const failed = await run(async () => {
      throw Object.assign(new Error('provider down'), { name: 'Klantreis.ProviderUnavailable' });
    });
    expect(failed.execution.statesEntered).toEqual(['Step', 'Failed']);
    expect(failed.output.failure).toMatchObject({ Error: 'Klantreis.ProviderUnavailable' });
    const cause = JSON.parse(String((failed.output.failure as { Cause: string }).Cause));
    expect(cause).toMatchObject({
      errorType: 'Klantreis.ProviderUnavailable',
      errorMessage: 'provider down',
    });
    expect(Array.isArray(cause.trace)).toBe(true);
  });
});
