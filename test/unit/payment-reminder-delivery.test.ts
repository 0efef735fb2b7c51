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

describe('payment reminder: delivery rules (one Task per message, Task → Wait)', () => {
  it('has one run-journey-step Task per step: notice, reminder, its read check, firmer reminder, final notice, hand-over', () => {
    expect(stepStates.map(([name]) => name)).toEqual([
      'PreDueNotice',
      'FirstReminder',
      'FirstReminderUnread',
      'SecondReminder',
      'FinalNotice',
      'HandOverNoReaction',
    ]);
    // Four states per step at most (Wait, Task, and the deferral's Pass and Wait), the Succeed, and
    // the failure's hand-over and Fail.
    expect(states.size).toBeLessThanOrEqual(6 * 4 + 3);
  });

  it('starts with a Wait on the first wake the starter planned, then the first reminder; the notice only through its Catch', () => {
    expect(states.get(definition.StartAt)).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.journey.progress.wakeAt',
      Next: 'FirstReminder',
    });
    // Started before the due date: Klantreis.TooEarly runs the notice, which wakes the reminder again.
    expect(states.get('FirstReminder')?.Catch).toContainEqual({
      ErrorEquals: ['Klantreis.TooEarly'],
      ResultPath: '$.journey.deferral',
      Next: 'PreDueNotice',
    });
    expect(states.get('PreDueNotice')?.Next).toBe('WaitForFirstReminder');
    expect(states.get('WaitForFirstReminder')).toMatchObject({ Type: 'Wait', Next: 'FirstReminder' });
    expect(stepOf('FirstReminder')).toMatchObject({
      precededBy: {
        stepId: 'pre-due-notice',
        onlyIf: { kind: 'before', of: 'dueDate' },
        until: { daysAfter: 1, of: 'dueDate' },
      },
    });
  });

  it.each(stepStates.map(([name]) => name))(
    '%s hands the customer over to a person when it fails for good, and the run fails (alarm)',
    (name) => {
      const catchers = (states.get(name)?.Catch ?? []) as Array<{ ErrorEquals: string[] }>;
      // States.ALL last: the control errors are caught by name before it.
      expect(catchers.at(-1)).toEqual({
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.failure',
        Next: 'HandOverFailed',
      });
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
    '%s retries provider outages with backoff and full jitter; a busy rate or a throttled provider is a deferral, not a retry',
    (name) => {
      const retry = (states.get(name)?.Retry ?? []) as Retrier[];
      const retrier = retry.find((r) => r.ErrorEquals.includes('Klantreis.ProviderUnavailable'));
      expect(retrier).toBeDefined();
      expect(retrier?.JitterStrategy).toBe('FULL');
      expect(retrier?.BackoffRate).toBeGreaterThan(1);
      const retried = retry.flatMap((r) => r.ErrorEquals);
      for (const deferred of ['Klantreis.ProviderThrottled', 'Klantreis.RateLimited', 'Klantreis.NotYet']) {
        expect(retried).not.toContain(deferred);
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

  it('waits for the first reminder’s email to be read as a callback Task (48 hours); not read → its read check; the firmer reminder takes the supporting channel', () => {
    expect(stepOf('FirstReminder')).toMatchObject({
      followUpUnreadHours: 48,
      channels: ['email', 'sms', 'letter'],
    });
    const { readCheck, ...checked } = stepOf('FirstReminderUnread') as Record<string, unknown>;
    expect(readCheck).toBe(true);
    const { precededBy: _first, ...reminder } = stepOf('FirstReminder') as Record<string, unknown>;
    expect(checked).toEqual(reminder);
    const first = states.get('FirstReminder') as unknown as {
      Parameters: { Payload: Record<string, unknown> };
      Catch: Array<{ ErrorEquals: string[]; ResultPath: string; Next: string }>;
    };
    expect(first).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSeconds: 48 * 3600,
      ResultSelector: { 'progress.$': '$' },
      Next: 'WaitForSecondReminder',
    });
    expect(first.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    // Not opened in time (timeout) or not deliverable (the feedback fails the token): the read check.
    expect(first.Catch[0]).toMatchObject({
      ErrorEquals: ['States.Timeout', 'Klantreis.EmailNotRead'],
      Next: 'FirstReminderUnread',
    });
    const check = states.get('FirstReminderUnread') as unknown as {
      Parameters: { Payload: Record<string, unknown> };
    };
    expect(check.Parameters.Payload['readCheckFailed.$']).toBe(first.Catch[0]?.ResultPath);
    expect(stepOf('SecondReminder')).toMatchObject({ channelOrder: 'supporting', tone: 'firm' });
    expect(stepOf('PreDueNotice')).toMatchObject({
      onlyIf: { kind: 'before', of: 'dueDate' },
      next: { daysAfter: 1, of: 'dueDate' },
    });
    expect(stepOf('FinalNotice')).toMatchObject({
      templateId: 'payment-final-notice',
      onUnreachable: 'hand-over',
    });
  });
});
