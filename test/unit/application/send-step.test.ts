import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { LetterToPost } from '#core/letter.ts';
import { firstReminder as step } from '../../fixtures/journey-steps.ts';
import { fixedClock, lambdaContext } from '../../fixtures/lambda.ts';
import { renderedEmail as email, sendStepSetup } from '../../fixtures/send-step.ts';

describe('send step', () => {
  it("dates a letter the customer's local day: recorded at 23:30 UTC, an Amsterdam letter says the next day", async () => {
    const letters: LetterToPost[] = [];
    const { handler, repository } = sendStepSetup({
      clock: fixedClock('2026-12-07T23:30:00Z'),
      letters: {
        async queueLetter(letter) {
          letters.push(letter);
          return { providerMessageId: letter.letterId };
        },
      },
    });
    const customer = repository.customers.get('c-1') as CustomerProfile;
    const address = { line1: 'Dorpsstraat 12', postalCode: '3511 AB', city: 'Utrecht', country: 'NL' };
    repository.customers.set('c-1', { ...customer, address });
    const letter = { channel: 'letter', locale: 'nl', subject: 'Herinnering', text: 'Betaal alstublieft.' };
    const send = (runId: string, timezone?: string) =>
      handler(
        {
          runId,
          customerId: 'c-1',
          step: { ...step, channels: ['letter'] },
          channel: 'letter',
          message: { ...letter, ...(timezone ? { timezone } : {}) },
        },
        lambdaContext,
      );
    expect(await send('run-ams', 'Europe/Amsterdam')).toMatchObject({ status: 'sent', channel: 'letter' });
    await send('run-ny', 'America/New_York');
    await send('run-utc');
    expect(letters.map((l) => [l.runId, l.date, l.recordedAt])).toEqual([
      ['run-ams', '2026-12-08', '2026-12-07T23:30:00.000Z'],
      ['run-ny', '2026-12-07', '2026-12-07T23:30:00.000Z'],
      ['run-utc', '2026-12-07', '2026-12-07T23:30:00.000Z'],
    ]);
  });

  it('sends once per run and step, however often the task is delivered', async () => {
    const { handler, emails, repository } = sendStepSetup();
    const input = { runId: 'run-1', customerId: 'c-1', step, channel: 'email', message: email };
    const first = await handler(input, lambdaContext);
    const again = await handler(input, lambdaContext);
    expect(first).toMatchObject({ status: 'sent', duplicate: false, providerMessageId: 'ses-1' });
    expect(again).toMatchObject({ status: 'sent', duplicate: true, providerMessageId: 'ses-1' });
    expect(emails).toHaveLength(1);
    expect(repository.timeline.filter((e) => e.kind === 'message')).toHaveLength(1);
  });

  it('sends a step again for a new occurrence (a moved visit), never twice for the same one', async () => {
    const { handler, emails, repository } = sendStepSetup();
    const reminder = {
      ...step,
      journeyId: 'appointment',
      stepId: 'reminder',
      templateId: 'appointment-reminder',
    };
    const forVisit = (startsAt: string) => ({
      runId: 'run-3',
      customerId: 'c-1',
      step: { ...reminder, occurrence: startsAt },
      channel: 'email',
      message: email,
    });
    const first = await handler(forVisit('2026-12-08T10:30:00+01:00'), lambdaContext);
    const retried = await handler(forVisit('2026-12-08T10:30:00+01:00'), lambdaContext);
    const moved = await handler(forVisit('2026-12-15T14:00:00+01:00'), lambdaContext);
    const movedRetried = await handler(forVisit('2026-12-15T14:00:00+01:00'), lambdaContext);
    expect([first, retried, moved, movedRetried].map((r) => r.duplicate)).toEqual([false, true, false, true]);
    expect(emails).toHaveLength(2);
    const entries = repository.timeline.filter((e) => e.kind === 'message');
    expect(entries.map((e) => e.stepId)).toEqual(['reminder', 'reminder']);
  });

  it('sends nothing when an earlier attempt claimed the step but never recorded its result: it waits for the provider’s events', async () => {
    const { handler, emails, repository } = sendStepSetup();
    await repository.claimSend('c-1', 'run-2#first-reminder', new Date('2026-12-01T08:55:00Z'));
    const result = await handler(
      { runId: 'run-2', customerId: 'c-1', step, channel: 'email', message: email },
      lambdaContext,
    );
    // Bounded from the claim: fifteen minutes for email.
    expect(result).toMatchObject({
      status: 'maybe-sent',
      duplicate: true,
      reconcileBy: '2026-12-01T09:10:00.000Z',
    });
    expect(emails).toHaveLength(0);
  });

  it('tags the email with journey, step, template and stage, and keeps the body in the timeline', async () => {
    const { handler, emails, repository } = sendStepSetup();
    await handler(
      { runId: 'run-3', customerId: 'c-1', step, channel: 'email', message: email },
      lambdaContext,
    );
    expect(emails[0]?.tags).toEqual({
      journey: 'payment-reminder',
      step: 'first-reminder',
      template: 'payment-reminder',
      stage: 'test',
    });
    // The send it is: the SES sender turns it into message tags its events carry back.
    expect(emails[0]?.send).toEqual({ customerId: 'c-1', key: 'run-3#first-reminder', attempt: 1 });
    expect(repository.timeline[0]).toMatchObject({
      outcome: 'sent',
      channel: 'email',
      body: { subject: 'Herinnering' },
    });
  });

  it('sends service SMS as Transactional and marketing SMS as Promotional', async () => {
    const { handler, sms, repository } = sendStepSetup();
    const customer = repository.customers.get('c-1') as CustomerProfile;
    repository.customers.set('c-1', {
      ...customer,
      consents: [
        { channel: 'sms', purpose: 'marketing', granted: true, at: '2026-01-01T00:00:00Z', source: 'test' },
      ],
    });
    const message = { channel: 'sms', locale: 'nl', text: 'Betaal via https://pay.example.com/1' };
    await handler({ runId: 'r-4', customerId: 'c-1', step, channel: 'sms', message }, lambdaContext);
    await handler(
      { runId: 'r-5', customerId: 'c-1', step: { ...step, purpose: 'marketing' }, channel: 'sms', message },
      lambdaContext,
    );
    expect(sms.map((m) => m.smsType)).toEqual(['Transactional', 'Promotional']);
  });

  it('skips with a reason when the address disappeared between planning and sending', async () => {
    const { handler, sms, repository } = sendStepSetup();
    repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', email: 'c1@example.nl' });
    const result = await handler(
      {
        runId: 'r-6',
        customerId: 'c-1',
        step,
        channel: 'sms',
        message: { channel: 'sms', locale: 'nl', text: 'x' },
      },
      lambdaContext,
    );
    expect(result).toMatchObject({ status: 'skipped' });
    expect(sms).toHaveLength(0);
    expect(repository.timeline[0]?.reasons?.[0]).toMatch(/no address/);
  });

  it('rejects a malformed task input instead of sending', async () => {
    const { handler, emails } = sendStepSetup();
    await expect(
      handler(
        { runId: 'r-7', customerId: 'c-1', step, channel: 'email', message: { channel: 'email' } },
        lambdaContext,
      ),
    ).rejects.toThrow();
    expect(emails).toHaveLength(0);
  });
});
