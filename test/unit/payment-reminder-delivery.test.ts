import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { allStates } from '#infra/local/asl.ts';

const definition = JSON.parse(
  readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'),
);
const states = allStates(definition);
const SEND_FUNCTION = '$' + '{SendMessageFunctionArn}';
const sendStates = [...states].filter(([, s]) => JSON.stringify(s.Parameters ?? {}).includes(SEND_FUNCTION));
type Retrier = { ErrorEquals: string[]; BackoffRate?: number; JitterStrategy?: string; MaxAttempts?: number };

describe('payment reminder: delivery rules', () => {
  it('has a send task for each reminder, each supporting-channel fallback and the final notice', () => {
    expect(sendStates.map(([name]) => name).sort()).toEqual([
      'SendFinalNotice',
      'SendFirstReminder',
      'SendFirstReminderFallback',
      'SendSecondReminder',
      'SendSecondReminderFallback',
    ]);
  });

  it.each(sendStates.map(([name]) => name))(
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

  it.each(sendStates.map(([name]) => name))(
    '%s retries a crash between the provider call and its record (the claim makes that safe)',
    (name) => {
      const errors = ((states.get(name)?.Retry ?? []) as Retrier[]).flatMap((r) => r.ErrorEquals);
      expect(errors).toEqual(
        expect.arrayContaining(['Klantreis.SendNotRecorded', 'Sandbox.Timedout', 'Lambda.Unknown']),
      );
      expect(errors).not.toContain('States.ALL');
    },
  );

  it.each(sendStates.map(([name]) => name))(
    '%s passes the plan’s supporting channels to the send step',
    (name) => {
      const parameters = states.get(name)?.Parameters as { Payload: Record<string, string> } | undefined;
      const payload = parameters?.Payload ?? {};
      expect(payload['fallbacks.$']).toMatch(/\.plan\.result\.fallbacks$/);
    },
  );

  it('reads the first reminder’s engagement from its send record with a direct GetItem, 48 hours after sending', () => {
    expect(states.get('WaitForFirstReminderOutcome')).toMatchObject({ Type: 'Wait', Seconds: 48 * 3600 });
    const check = states.get('CheckFirstReminderOutcome') as unknown as {
      Resource: string;
      Parameters: { Key: unknown };
    };
    expect(check.Resource).toBe('arn:aws:states:::dynamodb:getItem');
    expect(JSON.stringify(check.Parameters.Key)).toContain("SEND#{}#first-reminder', $$.Execution.Name");
  });
});
