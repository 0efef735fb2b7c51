import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { secretsManagerPseudonymKey } from '#adapters/pseudonym-key.ts';
import { atExpression, SchedulerErasurePass } from '#adapters/scheduler-erasure-pass.ts';

const scheduler = mockClient(SchedulerClient);
const secrets = mockClient(SecretsManagerClient);
afterEach(() => {
  scheduler.reset();
  secrets.reset();
});

const target = {
  groupName: 'klantreis-prod-erasure',
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:klantreis-prod-erase-late-writes',
  roleArn: 'arn:aws:iam::123456789012:role/klantreis-prod-erasure-scheduler',
  deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:klantreis-prod-erasure-pass-dlq',
};

describe('SchedulerErasurePass', () => {
  it('creates a one-time schedule in the stage’s group that invokes the second pass once, then deletes itself', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const passes = new SchedulerErasurePass(new SchedulerClient({}), target);
    await passes.scheduleSecondPass('c-1001', new Date('2026-12-01T10:16:00.250Z'));

    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      GroupName: 'klantreis-prod-erasure',
      ScheduleExpression: 'at(2026-12-01T10:16:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: target.functionArn,
        RoleArn: target.roleArn,
        Input: '{"customerId":"c-1001"}',
        DeadLetterConfig: { Arn: target.deadLetterQueueArn },
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400 },
      },
    });
    // The name a console lists carries no customer id; each erasure gets its own.
    expect(input?.Name).toMatch(/^erasure-pass-[0-9a-f-]{36}$/);
    await passes.scheduleSecondPass('c-1001', new Date('2026-12-01T10:17:00Z'));
    const names = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input.Name);
    expect(new Set(names).size).toBe(2);
  });

  it('writes at() in whole UTC seconds', () => {
    expect(atExpression(new Date('2026-03-29T01:59:59.999+01:00'))).toBe('at(2026-03-29T00:59:59)');
  });
});

describe('secretsManagerPseudonymKey', () => {
  it('reads the key once per container, and retries after a failed read', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'p'.repeat(64) });
    const key = secretsManagerPseudonymKey('arn:pseudonym', new SecretsManagerClient({}));
    await expect(key()).rejects.toThrow('throttled');
    expect(await key()).toBe('p'.repeat(64));
    expect(await key()).toBe('p'.repeat(64));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses an empty or short secret', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(secretsManagerPseudonymKey('arn:pseudonym', new SecretsManagerClient({}))()).rejects.toThrow(
      /empty or too short/,
    );
  });
});
