import { describe, expect, it } from 'vitest';
import { firstReminder } from '../../fixtures/journey-steps.ts';
import { lambdaContext, movableClock } from '../../fixtures/lambda.ts';
import { connectionTimeoutError, sdkError } from '../../fixtures/sdk-error.ts';
import { renderedEmail, sendStepCustomer, sendStepSetup } from '../../fixtures/send-step.ts';

const input = (runId: string) => ({
  runId,
  customerId: 'c-1',
  step: firstReminder,
  channel: 'email',
  fallbacks: ['sms'],
  tone: 'friendly',
  message: renderedEmail,
});
describe('send step when things go wrong', () => {
  it('throws Klantreis.RateLimited when the second’s budget is used, claiming and sending nothing', async () => {
    const { handler, emails, repository } = sendStepSetup({ budget: 0 });
    await expect(handler(input('r-1'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.RateLimited',
    });
    expect(emails).toHaveLength(0);
    expect(repository.sends.size).toBe(0);
  });

  it('releases the claim on throttling, so the journey’s retry sends the message once', async () => {
    const { handler, emails } = sendStepSetup({ failures: [sdkError('TooManyRequestsException', 429)] });
    await expect(handler(input('r-2'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.ProviderThrottled',
    });
    expect(await handler(input('r-2'), lambdaContext)).toMatchObject({ status: 'sent', duplicate: false });
    expect(emails).toHaveLength(1);
  });

  it('releases the claim on a provider server error and throws Klantreis.ProviderUnavailable', async () => {
    const { handler, emails } = sendStepSetup({ failures: [sdkError('InternalServiceErrorException', 500)] });
    await expect(handler(input('r-3'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.ProviderUnavailable',
    });
    await handler(input('r-3'), lambdaContext);
    expect(emails).toHaveLength(1);
  });

  it('ends the step as failed with the reason and the supporting channel on a refusal, and keeps that answer', async () => {
    const { handler, repository } = sendStepSetup({ failures: [sdkError('MessageRejected', 400)] });
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
    const { handler, repository } = sendStepSetup({ smsFailures: [sdkError('OptedOutException', 400)] });
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

  it('waits for the provider’s events when it gave no answer once connected: nothing is sent again before the bound', async () => {
    const { handler, emails, repository } = sendStepSetup({ failures: [sdkError('TimeoutError')] });
    const result = await handler(input('r-6'), lambdaContext);
    expect(result).toMatchObject({
      status: 'maybe-sent',
      fallback: null,
      reconcileBy: '2026-12-01T09:15:00.000Z',
    });
    expect(repository.sends.get('r-6#first-reminder')).toMatchObject({
      status: 'maybe-sent',
      attempt: 1,
      reconcileBy: '2026-12-01T09:15:00.000Z',
    });
    expect(await handler(input('r-6'), lambdaContext)).toMatchObject({
      status: 'maybe-sent',
      duplicate: true,
    });
    expect(emails).toHaveLength(0);
    expect(repository.timeline.filter((e) => e.kind === 'message').map((e) => e.outcome)).toEqual([
      'unknown',
    ]);
  });

  it('finds it sent at the bound when a provider event linked it meanwhile, and sends nothing more', async () => {
    const clock = movableClock('2026-12-01T09:00:00Z');
    const { handler, emails, repository } = sendStepSetup({ failures: [sdkError('TimeoutError')], clock });
    await handler(input('r-6b'), lambdaContext);
    await repository.linkSend('c-1', 'r-6b#first-reminder', { attempt: 1, providerMessageId: 'ses-lost' });
    clock.set('2026-12-01T09:15:00Z');
    expect(await handler(input('r-6b'), lambdaContext)).toMatchObject({
      status: 'sent',
      duplicate: true,
      providerMessageId: 'ses-lost',
    });
    expect(emails).toHaveLength(0);
    expect(repository.timeline.filter((e) => e.kind === 'message').map((e) => e.outcome)).toEqual(['sent']);
  });

  it('sends it once at the bound when no event named it, as a second attempt, and never a third time', async () => {
    const clock = movableClock('2026-12-01T09:00:00Z');
    const { handler, emails, repository } = sendStepSetup({ failures: [sdkError('TimeoutError')], clock });
    await handler(input('r-6c'), lambdaContext);
    clock.set('2026-12-01T09:14:59Z');
    expect(await handler(input('r-6c'), lambdaContext)).toMatchObject({ status: 'maybe-sent' });
    expect(emails).toHaveLength(0);
    clock.set('2026-12-01T09:15:00Z');
    expect(await handler(input('r-6c'), lambdaContext)).toMatchObject({ status: 'sent', duplicate: false });
    expect(emails).toHaveLength(1);
    expect(emails[0]?.send).toEqual({ customerId: 'c-1', key: 'r-6c#first-reminder', attempt: 2 });
    // A late event of the first attempt links nothing: the record is the second attempt's.
    await repository.linkSend('c-1', 'r-6c#first-reminder', { attempt: 1, providerMessageId: 'ses-late' });
    expect(repository.sends.get('r-6c#first-reminder')).toMatchObject({
      attempt: 2,
      providerMessageId: 'ses-1',
    });
    expect(await handler(input('r-6c'), lambdaContext)).toMatchObject({ status: 'sent', duplicate: true });
    expect(emails).toHaveLength(1);
  });

  it('takes the supporting channel when the second email went unconfirmed too: never a third email', async () => {
    const clock = movableClock('2026-12-01T09:00:00Z');
    const { handler, emails, repository } = sendStepSetup({
      failures: [sdkError('TimeoutError'), sdkError('TimeoutError')],
      clock,
    });
    await handler(input('r-6f'), lambdaContext);
    clock.set('2026-12-01T09:15:00Z');
    expect(await handler(input('r-6f'), lambdaContext)).toMatchObject({
      status: 'maybe-sent',
      reconcileBy: '2026-12-01T09:30:00.000Z',
    });
    clock.set('2026-12-01T09:30:00Z');
    expect(await handler(input('r-6f'), lambdaContext)).toMatchObject({
      status: 'failed',
      fallback: 'sms',
      duplicate: false,
      reason: expect.stringContaining('not sent again on email'),
    });
    // Said once: the next visit finds the answer recorded.
    expect(repository.sends.get('r-6f#first-reminder')).toMatchObject({ status: 'failed', attempt: 2 });
    expect(await handler(input('r-6f'), lambdaContext)).toMatchObject({ status: 'failed', duplicate: true });
    expect(emails).toHaveLength(0);
  });

  it('looks again after the bound, sending nothing, while another attempt holds the claim', async () => {
    const { handler, emails, repository } = sendStepSetup();
    repository.sends.set('r-6g#first-reminder', {
      key: 'r-6g#first-reminder',
      status: 'in-progress',
      channel: 'email',
      at: '2026-12-01T08:59:00.000Z',
      attempt: 2,
    });
    // That attempt is sending right now: it keeps its claim.
    repository.settleUnanswered = async () => false;
    expect(await handler(input('r-6g'), lambdaContext)).toEqual({
      status: 'maybe-sent',
      channel: 'email',
      duplicate: true,
      fallback: null,
      reconcileBy: '2026-12-01T09:14:00.000Z',
    });
    expect(emails).toHaveLength(0);
  });

  it('takes the supporting channel at the bound for an SMS no event can name, never the SMS again', async () => {
    const clock = movableClock('2026-12-01T09:00:00Z');
    const { handler, sms } = sendStepSetup({ smsFailures: [sdkError('TimeoutError')], clock });
    const smsInput = {
      ...input('r-6d'),
      channel: 'sms',
      fallbacks: ['email'],
      message: { channel: 'sms', locale: 'nl', text: 'x' },
    };
    expect(await handler(smsInput, lambdaContext)).toMatchObject({ status: 'maybe-sent' });
    clock.set('2026-12-01T09:15:00Z');
    expect(await handler(smsInput, lambdaContext)).toMatchObject({
      status: 'failed',
      fallback: 'email',
      reason: expect.stringContaining('not sent again on sms'),
    });
    expect(sms).toHaveLength(0);
  });

  it('reconciles a maybe-sent SMS like an email when its sender’s events name the send: linked by the bound, nothing more goes out', async () => {
    const clock = movableClock('2026-12-01T09:00:00Z');
    const { handler, sms, repository } = sendStepSetup({
      smsFailures: [sdkError('TimeoutError')],
      smsLinksEvents: true,
      clock,
    });
    const smsInput = {
      ...input('r-6h'),
      channel: 'sms',
      fallbacks: ['email'],
      message: { channel: 'sms', locale: 'nl', text: 'x' },
    };
    expect(await handler(smsInput, lambdaContext)).toMatchObject({
      status: 'maybe-sent',
      reconcileBy: '2026-12-01T09:15:00.000Z',
    });
    await repository.linkSend('c-1', 'r-6h#first-reminder', { attempt: 1, providerMessageId: 'eum-lost' });
    clock.set('2026-12-01T09:15:00Z');
    expect(await handler(smsInput, lambdaContext)).toMatchObject({
      status: 'sent',
      channel: 'sms',
      duplicate: true,
      providerMessageId: 'eum-lost',
    });
    expect(sms).toHaveLength(0);
  });

  it('sends a maybe-sent SMS once more at the bound when its sender’s events name sends and none came, never a third time', async () => {
    const clock = movableClock('2026-12-01T09:00:00Z');
    const { handler, sms } = sendStepSetup({
      smsFailures: [sdkError('TimeoutError')],
      smsLinksEvents: true,
      clock,
    });
    const smsInput = {
      ...input('r-6i'),
      channel: 'sms',
      fallbacks: ['email'],
      message: { channel: 'sms', locale: 'nl', text: 'x' },
    };
    expect(await handler(smsInput, lambdaContext)).toMatchObject({ status: 'maybe-sent' });
    clock.set('2026-12-01T09:14:59Z');
    expect(await handler(smsInput, lambdaContext)).toMatchObject({ status: 'maybe-sent' });
    expect(sms).toHaveLength(0);
    clock.set('2026-12-01T09:15:00Z');
    expect(await handler(smsInput, lambdaContext)).toMatchObject({
      status: 'sent',
      channel: 'sms',
      duplicate: false,
    });
    expect(sms).toHaveLength(1);
    expect(sms[0]?.send).toEqual({ customerId: 'c-1', key: 'r-6i#first-reminder', attempt: 2 });
    expect(await handler(smsInput, lambdaContext)).toMatchObject({ status: 'sent', duplicate: true });
    expect(sms).toHaveLength(1);
  });

  it('names End User Messaging SMS in the reason and suppresses the number when it says the destination opted out', async () => {
    const { handler, repository } = sendStepSetup({
      smsFailures: [
        Object.assign(sdkError('ConflictException', 400), { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' }),
      ],
      smsLinksEvents: true,
    });
    const result = await handler(
      {
        ...input('r-6j'),
        channel: 'sms',
        fallbacks: ['email'],
        message: { channel: 'sms', locale: 'nl', text: 'x' },
      },
      lambdaContext,
    );
    expect(result).toMatchObject({
      status: 'failed',
      fallback: 'email',
      reason: 'sms refused by End User Messaging SMS: opted out at the provider',
    });
    expect(await repository.isSuppressed('sms', '+31612345678')).toBe(true);
  });

  it.each([
    ['the connection timeout (queued behind busy sockets)', connectionTimeoutError()],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
        syscall: 'connect',
        $metadata: {},
      }),
    ],
  ])('releases the claim when the request never left (%s), so the retry sends it once', async (_, error) => {
    const { handler, emails } = sendStepSetup({ failures: [error] });
    await expect(handler(input('r-6e'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.ProviderNotReached',
    });
    expect(await handler(input('r-6e'), lambdaContext)).toMatchObject({ status: 'sent', duplicate: false });
    expect(emails).toHaveLength(1);
  });

  it('throws Klantreis.SendNotRecorded when the record fails after the provider accepted, and the retry sends nothing', async () => {
    const { handler, emails, repository } = sendStepSetup({ failRecord: 1 });
    await expect(handler(input('r-7'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.SendNotRecorded',
    });
    const retry = await handler(input('r-7'), lambdaContext);
    expect(retry).toMatchObject({ status: 'maybe-sent', duplicate: true });
    expect(emails).toHaveLength(1);
    const messages = repository.timeline.filter((e) => e.kind === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ outcome: 'unknown', tone: 'friendly' });
  });

  it('skips, with the supporting channel, an address suppressed since the plan was made', async () => {
    const { handler, emails, repository } = sendStepSetup();
    await repository.suppress('email', 'c1@example.nl');
    expect(await handler(input('r-8'), lambdaContext)).toMatchObject({
      status: 'skipped',
      reason: 'email dropped at send time: address suppressed',
      fallback: 'sms',
    });
    expect(emails).toHaveLength(0);
  });

  it('skips a channel the customer opted out of since the plan was made', async () => {
    const { handler, emails, repository } = sendStepSetup();
    repository.customers.set('c-1', {
      ...sendStepCustomer,
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
    const { handler, repository, emails } = sendStepSetup();
    repository.customers.delete('c-1');
    await expect(handler(input('r-10'), lambdaContext)).rejects.toMatchObject({
      name: 'Klantreis.CustomerNotFound',
    });
    repository.customers.set('c-1', sendStepCustomer);
    expect(await handler(input('r-10'), lambdaContext)).toMatchObject({ status: 'sent' });
    expect(emails).toHaveLength(1);
  });
});
