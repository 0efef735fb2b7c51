import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { OutboundEmail, OutboundSms } from '#core/ports.ts';
import { type SendMessageDeps, SendMessageInput, sendStepMessage } from '#shared/send-step.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, lambdaContext } from '../../fixtures/lambda.ts';

/** The send pipeline as run-journey-step calls it, with a step's JSON payload parsed first. */
const makeHandler = (deps: SendMessageDeps) => async (event: unknown, _context: unknown) =>
  sendStepMessage(deps, SendMessageInput.parse(event));

const customer: CustomerProfile = {
  id: 'c-1',
  locale: 'nl-NL',
  country: 'NL',
  email: 'c1@example.nl',
  phone: '+31612345678',
};
const step = {
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  templateId: 'payment-reminder',
  purpose: 'service' as const,
  channels: ['email' as const, 'sms' as const],
};
const input = (runId: string) => ({
  runId,
  customerId: 'c-1',
  step,
  channel: 'email',
  fallbacks: ['sms'],
  tone: 'friendly',
  message: { channel: 'email', locale: 'nl', subject: 'Herinnering', html: '<p>Hoi</p>', text: 'Hoi' },
});
const sdkError = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error('provider said no'), { name, $metadata: httpStatusCode ? { httpStatusCode } : {} });

/** A handler whose email provider fails with `failures` in turn, then accepts. */
function setup(options: { failures?: unknown[]; budget?: number; failRecord?: number } = {}) {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', customer);
  const failures = [...(options.failures ?? [])];
  const emails: OutboundEmail[] = [];
  const sms: OutboundSms[] = [];
  let budget = options.budget ?? Number.POSITIVE_INFINITY;
  let recordFailures = options.failRecord ?? 0;
  const handler = makeHandler({
    customers: repository,
    idempotency: {
      claimSend: (c, k, at) => repository.claimSend(c, k, at),
      releaseSend: (c, k) => repository.releaseSend(c, k),
      completeSend: async (c, record) => {
        if (record.status === 'sent' && recordFailures > 0) {
          recordFailures -= 1;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return repository.completeSend(c, record);
      },
    },
    timeline: repository,
    suppressions: repository,
    rateLimiter: {
      async tryAcquire() {
        budget -= 1;
        return budget >= 0;
      },
    },
    email: {
      async sendEmail(message) {
        const failure = failures.shift();
        if (failure) throw failure;
        emails.push(message);
        return { providerMessageId: `ses-${emails.length}` };
      },
    },
    sms: {
      async sendSms(message) {
        sms.push(message);
        return { providerMessageId: `sns-${sms.length}` };
      },
    },
    clock: fixedClock('2026-12-01T09:00:00Z'),
    stage: 'test',
  });
  return { repository, emails, sms, handler };
}

describe('send step when things go wrong', () => {
  it('throws Klantreis.RateLimited when the second’s budget is used, claiming and sending nothing', async () => {
    const { handler, emails, repository } = setup({ budget: 0 });
    await expect(handler(input('r-1'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.RateLimited',
    });
    expect(emails).toHaveLength(0);
    expect(repository.sends.size).toBe(0);
  });

  it('releases the claim on throttling, so the journey’s retry sends the message once', async () => {
    const { handler, emails } = setup({ failures: [sdkError('TooManyRequestsException', 429)] });
    await expect(handler(input('r-2'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.ProviderThrottled',
    });
    expect(await handler(input('r-2'), lambdaContext)).toMatchObject({ status: 'sent', duplicate: false });
    expect(emails).toHaveLength(1);
  });

  it('releases the claim on a provider server error and throws Klantreis.ProviderUnavailable', async () => {
    const { handler, emails } = setup({ failures: [sdkError('InternalServiceErrorException', 500)] });
    await expect(handler(input('r-3'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.ProviderUnavailable',
    });
    await handler(input('r-3'), lambdaContext);
    expect(emails).toHaveLength(1);
  });

  it('ends the step as failed with the reason and the supporting channel on a refusal, and keeps that answer', async () => {
    const { handler, repository } = setup({ failures: [sdkError('MessageRejected', 400)] });
    const result = await handler(input('r-4'), lambdaContext);
    expect(result).toEqual({
      status: 'failed',
      channel: 'email',
      duplicate: false,
      reason: 'email refused by SES: rejected (MessageRejected)',
      fallback: 'sms',
    });
    expect(repository.timeline[0]).toMatchObject({
      outcome: 'failed',
      reasons: ['email refused by SES: rejected (MessageRejected)', 'fallback: sms'],
    });
    expect(await handler(input('r-4'), lambdaContext)).toMatchObject({
      status: 'failed',
      duplicate: true,
      fallback: 'sms',
    });
  });

  it('suppresses a number the provider says opted out', async () => {
    const { repository } = setup();
    const handler = makeHandler({
      customers: repository,
      idempotency: repository,
      timeline: repository,
      suppressions: repository,
      rateLimiter: { tryAcquire: async () => true },
      email: { sendEmail: async () => ({ providerMessageId: 'x' }) },
      sms: {
        sendSms: async () => {
          throw sdkError('OptedOutException', 400);
        },
      },
      clock: fixedClock('2026-12-01T09:00:00Z'),
      stage: 'test',
    });
    const result = await handler(
      {
        ...input('r-5'),
        channel: 'sms',
        fallbacks: ['email'],
        message: { channel: 'sms', locale: 'nl', text: 'x' },
      },
      lambdaContext,
    );
    expect(result).toMatchObject({ status: 'failed', fallback: 'email' });
    expect(await repository.isSuppressed('sms', '+31612345678')).toBe(true);
  });

  it('never sends again when the provider gave no answer: the outcome is unknown', async () => {
    const { handler, emails, repository } = setup({ failures: [sdkError('TimeoutError')] });
    const result = await handler(input('r-6'), lambdaContext);
    expect(result).toMatchObject({ status: 'in-progress', fallback: null });
    expect(await handler(input('r-6'), lambdaContext)).toMatchObject({
      status: 'in-progress',
      duplicate: true,
    });
    expect(emails).toHaveLength(0);
    expect(repository.timeline.filter((e) => e.kind === 'message').map((e) => e.outcome)).toEqual([
      'unknown',
    ]);
  });

  it('throws Klantreis.SendNotRecorded when the record fails after the provider accepted, and the retry sends nothing', async () => {
    const { handler, emails, repository } = setup({ failRecord: 1 });
    await expect(handler(input('r-7'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.SendNotRecorded',
    });
    const retry = await handler(input('r-7'), lambdaContext);
    expect(retry).toMatchObject({ status: 'in-progress', duplicate: true });
    expect(emails).toHaveLength(1);
    const messages = repository.timeline.filter((e) => e.kind === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ outcome: 'unknown', tone: 'friendly' });
  });

  it('skips, with the supporting channel, an address suppressed since the plan was made', async () => {
    const { handler, emails, repository } = setup();
    await repository.suppress('email', 'c1@example.nl');
    expect(await handler(input('r-8'), lambdaContext)).toMatchObject({
      status: 'skipped',
      reason: 'email dropped at send time: address suppressed',
      fallback: 'sms',
    });
    expect(emails).toHaveLength(0);
  });

  it('skips a channel the customer opted out of since the plan was made', async () => {
    const { handler, emails, repository } = setup();
    repository.customers.set('c-1', {
      ...customer,
      consents: [
        {
          channel: 'email',
          purpose: 'service',
          granted: false,
          at: '2026-11-30T10:00:00Z',
          source: 'portal',
        },
      ],
    });
    expect(await handler(input('r-9'), lambdaContext)).toMatchObject({
      status: 'skipped',
      reason: 'email dropped at send time: opted out of email for service',
    });
    expect(emails).toHaveLength(0);
  });

  it('releases the claim when the customer cannot be read, so a retry can still send', async () => {
    const { handler, repository, emails } = setup();
    repository.customers.delete('c-1');
    await expect(handler(input('r-10'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.CustomerNotFound',
    });
    repository.customers.set('c-1', customer);
    expect(await handler(input('r-10'), lambdaContext)).toMatchObject({ status: 'sent' });
    expect(emails).toHaveLength(1);
  });
});
