import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepConfigSchema } from '#core/journey-step-run.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { allStates } from '#infra/local/asl.ts';

const definition = JSON.parse(
  readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'),
);
const states = allStates(definition);
const RUN_STEP_FUNCTION = '$' + '{RunJourneyStepFunctionArn}';
// The journey's steps; HandOverFailed (the Catch's target, which sends nothing) is tested apart.
const stepStates = [...states].filter(
  ([name, s]) => name !== 'HandOverFailed' && JSON.stringify(s.Parameters ?? {}).includes(RUN_STEP_FUNCTION),
);
type Retrier = { ErrorEquals: string[]; BackoffRate?: number; JitterStrategy?: string; MaxAttempts?: number };
const stepOf = (name: string) =>
  StepConfigSchema.parse(
    (states.get(name)?.Parameters as { Payload: { step: unknown } } | undefined)?.Payload.step,
  );

describe('payment reminder: delivery rules (design B: one Task per message)', () => {
  it('has one run-journey-step Task per step: notice, reminder, firmer reminder, final notice, hand-over', () => {
    expect(stepStates.map(([name]) => name)).toEqual([
      'PreDueNotice',
      'FirstReminder',
      'SecondReminder',
      'FinalNotice',
      'HandOverNoReaction',
    ]);
    // Four states per step at most, the first Wait, the Succeed, and the failure's hand-over and Fail.
    expect(states.size).toBeLessThanOrEqual(5 * 4 + 4);
  });

  it('starts with a Wait on the first wake the starter planned, then the notice', () => {
    expect(states.get(definition.StartAt)).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.journey.progress.wakeAt',
      Next: 'PreDueNotice',
    });
  });

  it.each(stepStates.map(([name]) => name))(
    '%s hands the customer over to a person when it fails for good, and the run fails (alarm)',
    (name) => {
      expect(states.get(name)?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'HandOverFailed' },
      ]);
      const failed = states.get('HandOverFailed') as unknown as {
        Parameters: { Payload: { step: unknown; 'failure.$': string } };
        Next: string;
      };
      expect(StepConfigSchema.parse(failed.Parameters.Payload.step)).toMatchObject({ handOver: 'failed' });
      expect(failed.Parameters.Payload['failure.$']).toBe('$.failure');
      expect(states.get(failed.Next)).toMatchObject({ Type: 'Fail' });
    },
  );

  it.each(stepStates.map(([name]) => name))(
    '%s retries throttling, rate limits and provider outages with backoff and full jitter',
    (name) => {
      const retry = (states.get(name)?.Retry ?? []) as Retrier[];
      for (const error of [
        'Klantreis.ProviderThrottled',
        'Klantreis.RateLimited',
        'Klantreis.ProviderUnavailable',
      ]) {
        const retrier = retry.find((r) => r.ErrorEquals.includes(error));
        expect(retrier, error).toBeDefined();
        expect(retrier?.JitterStrategy).toBe('FULL');
        expect(retrier?.BackoffRate).toBeGreaterThan(1);
      }
    },
  );

  it.each(stepStates.map(([name]) => name))(
    '%s retries a crash between the provider call and its record (the claim makes that safe)',
    (name) => {
      const errors = ((states.get(name)?.Retry ?? []) as Retrier[]).flatMap((r) => r.ErrorEquals);
      expect(errors).toEqual(
        expect.arrayContaining(['Klantreis.SendNotRecorded', 'Sandbox.Timedout', 'Lambda.Unknown']),
      );
      expect(errors).not.toContain('States.ALL');
    },
  );

  it('checks the first reminder’s email 48 hours after sending, the firmer reminder takes the supporting channel', () => {
    expect(stepOf('FirstReminder')).toMatchObject({ followUpUnreadHours: 48, channels: ['email', 'sms'] });
    expect(stepOf('SecondReminder')).toMatchObject({ channelOrder: 'supporting', tone: 'firm' });
    expect(stepOf('PreDueNotice')).toMatchObject({
      onlyIf: { kind: 'before-due' },
      next: { afterDueDays: 1 },
    });
    expect(stepOf('FinalNotice')).toMatchObject({
      templateId: 'payment-final-notice',
      onUnreachable: 'hand-over',
    });
  });

  it('waits between steps on the time the Task returned, and loops back to a step whose slot is later', () => {
    for (const [name] of stepStates.slice(0, -1)) {
      const after = states.get(`After${name}`) as unknown as {
        Choices: Array<{ StringEquals: string; Next: string }>;
      };
      const loop = after.Choices.find((c) => c.StringEquals === 'wait')?.Next ?? '';
      expect(states.get(loop)).toMatchObject({
        Type: 'Wait',
        TimestampPath: '$.journey.progress.wakeAt',
        Next: name,
      });
    }
  });
});
