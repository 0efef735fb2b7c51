import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { HandOver } from '#core/hand-over.ts';
import type { InvoiceSubject } from '#core/journey-step.ts';
import type { StartProgress, StepProgress } from '#core/journey-step-run.ts';
import type { OutboundEmail, OutboundSms } from '#core/ports.ts';
import { LOCAL_UNSUBSCRIBE_KEY } from '#core/unsubscribe-token.ts';
import { makeHandler } from '#handlers/run-journey-step.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());
const policy = loadPolicy();
const HOUR = 3_600_000;

const customer: CustomerProfile = {
  id: 'c-1',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1980-06-15',
  email: 'c1@example.nl',
  phone: '+31612345678',
};
const invoice: InvoiceSubject = {
  type: 'invoice',
  id: 'INV-1',
  amount: 125.5,
  currency: 'EUR',
  dueDate: '2026-11-26',
  payUrl: 'https://pay.example.com/INV-1',
};
const reminder = {
  stepId: 'first-reminder',
  templateId: 'payment-reminder',
  purpose: 'service',
  channels: ['email', 'sms'],
  next: { afterHours: 168 },
};
// Tuesday 1 December 2026, 11:00 in Amsterdam: inside the customer's window.
const IN_WINDOW = '2026-12-01T10:00:00Z';
// 23:00 in Amsterdam: quiet hours.
const QUIET = '2026-12-01T22:00:00Z';

/** A provider error as the AWS SDK throws it. */
const sdkError = (name: string, httpStatusCode: number) =>
  Object.assign(new Error('provider said no'), { name, $metadata: { httpStatusCode } });

function setup(options: { profile?: CustomerProfile; refuseEmail?: boolean; rateBusy?: () => boolean } = {}) {
  const repository = new InMemoryRepository();
  const profile = options.profile ?? customer;
  repository.customers.set(profile.id, profile);
  const emails: OutboundEmail[] = [];
  const sms: OutboundSms[] = [];
  const handOvers: HandOver[] = [];
  let now = new Date(IN_WINDOW);
  const handler = makeHandler({
    customers: repository,
    suppressions: repository,
    sends: repository,
    sendRecords: repository,
    idempotency: repository,
    timeline: repository,
    rateLimiter: { tryAcquire: async () => !options.rateBusy?.() },
    email: {
      async sendEmail(message) {
        if (options.refuseEmail) throw sdkError('MessageRejected', 400);
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
    catalog,
    policy,
    links: { portal: 'https://portal.example.com' },
    unsubscribe: { baseUrl: 'https://api.example.com/unsubscribe', key: async () => LOCAL_UNSUBSCRIBE_KEY },
    handOvers: {
      publisher: {
        async publish(h) {
          handOvers.push(h);
        },
      },
      apiBaseUrl: 'https://api.example.com',
    },
    clock: { now: () => now },
    stage: 'test',
  });
  const run = (
    step: Record<string, unknown>,
    progress: StepProgress | StartProgress | null = null,
    subject = invoice,
    nextStep?: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) =>
    handler(
      {
        runId: 'run-1',
        journeyId: 'payment-reminder',
        customerId: profile.id,
        subject,
        step,
        progress,
        ...(nextStep ? { nextStep } : {}),
        ...extra,
      },
      lambdaContext,
    );
  const at = (iso: string | Date) => {
    now = new Date(iso);
  };
  return { repository, emails, sms, handOvers, run, at };
}

/** Returns the result of a first visit that is back in its slot: the wake time has come. */
function backInSlot(first: StepProgress): StepProgress {
  expect(first).toMatchObject({ action: 'wait', pending: 'slot' });
  return first;
}

describe('run-journey-step: one Task per message', () => {
  it('ends the run when the goal is reached, sending nothing', async () => {
    const { repository, emails, run } = setup();
    await repository.putSubject({
      customerId: customer.id,
      subjectId: invoice.id,
      status: 'paid',
      updatedAt: IN_WINDOW,
    });
    const result = await run(reminder);
    expect(result).toMatchObject({
      action: 'end',
      outcome: 'goal-reached',
      reasons: ['goal reached: invoice paid'],
    });
    expect(emails).toHaveLength(0);
  });

  it('waits for the slot when it is not yet in the customer’s window, sending nothing', async () => {
    const { emails, run, at, repository } = setup();
    at(QUIET);
    const result = await run(reminder);
    expect(result).toMatchObject({ action: 'wait', outcome: 'waiting', pending: 'slot', channel: null });
    expect(Date.parse(result.wakeAt)).toBeGreaterThan(Date.parse(QUIET));
    expect(emails).toHaveLength(0);
    expect(repository.timeline.filter((e) => e.kind === 'decision')).toHaveLength(1);
  });

  it('sends in its slot and returns the next step’s wake time, a week after the send', async () => {
    const { emails, run, at, repository } = setup();
    at(QUIET);
    const first = backInSlot(await run(reminder));
    at(first.wakeAt);
    const result = await run(reminder, first);
    expect(result).toMatchObject({ action: 'next', outcome: 'sent', channel: 'email', sentAt: first.wakeAt });
    expect(Date.parse(result.wakeAt) - Date.parse(first.wakeAt)).toBe(168 * HOUR);
    expect(result.lastMessage).toMatchObject({ stepId: 'first-reminder', channel: 'email' });
    expect(emails).toHaveLength(1);
    expect(emails[0]?.text).toContain(invoice.payUrl);
    // The slot decided on the first visit stands: one decision in the conversation, not two.
    expect(repository.timeline.filter((e) => e.kind === 'decision')).toHaveLength(1);
  });

  it('sends at once when woken at the time the previous step planned (no second spread)', async () => {
    const { emails, run, at } = setup();
    const planned = await run({ ...reminder, stepId: 'pre-due-notice', onlyIf: { kind: 'before-due' } });
    at(IN_WINDOW);
    const result = await run(
      { ...reminder, stepId: 'second-reminder', tone: 'firm' },
      { ...planned, action: 'next', wakeAt: IN_WINDOW },
    );
    expect(result).toMatchObject({ outcome: 'sent', action: 'next' });
    expect(emails).toHaveLength(1);
  });

  it('sends at the run’s planned first wake when it is inside the window (no decided slot, no loop back)', async () => {
    const { emails, run, at, repository } = setup();
    const wake = new Date(Date.parse(IN_WINDOW) + 17 * 60_000).toISOString();
    at(wake);
    const result = await run(reminder, { action: 'start', wakeAt: wake });
    expect(result).toMatchObject({ action: 'next', outcome: 'sent', channel: 'email', sentAt: wake });
    expect(emails).toHaveLength(1);
    // The decision is in the conversation once, with the kept slot as its reason.
    const decisions = repository.timeline.filter((e) => e.kind === 'decision');
    expect(decisions).toHaveLength(1);
    expect(decisions[0]?.reasons?.join('\n')).toMatch(/planned slot kept/);
  });

  it('decides the usual spread slot when the planned first wake is outside the window', async () => {
    const planned = setup();
    planned.at(QUIET);
    const fromStart = await planned.run(reminder, { action: 'start', wakeAt: QUIET });
    const fresh = setup();
    fresh.at(QUIET);
    const decided = await fresh.run(reminder);
    expect(fromStart).toMatchObject({ action: 'wait', pending: 'slot', outcome: 'waiting' });
    expect(fromStart.wakeAt).toBe(decided.wakeAt);
    expect(planned.emails).toHaveLength(0);
  });

  it('keeps the planned first wake through a skipped step run in the same invocation', async () => {
    const { emails, run, at } = setup();
    const wake = new Date(Date.parse(IN_WINDOW) + 5 * 60_000).toISOString();
    at(wake);
    const result = await run(
      { ...reminder, stepId: 'pre-due-notice', onlyIf: { kind: 'before-due' }, next: { afterDueDays: 1 } },
      { action: 'start', wakeAt: wake },
      invoice,
      reminder,
    );
    expect(result).toMatchObject({ stepId: 'first-reminder', outcome: 'sent', sentAt: wake });
    expect(emails).toHaveLength(1);
  });

  it('waits a little and sends once when the account’s send rate is busy, never failing the run', async () => {
    let busy = true;
    const { emails, run, at, repository } = setup({ rateBusy: () => busy });
    at(IN_WINDOW);
    const refused = await run(reminder, { action: 'start', wakeAt: IN_WINDOW });
    expect(refused).toMatchObject({ action: 'wait', outcome: 'waiting', pending: 'slot', busyVisits: 1 });
    const delay = Date.parse(refused.wakeAt) - Date.parse(IN_WINDOW);
    expect(delay).toBeGreaterThan(1_000);
    expect(delay).toBeLessThanOrEqual(31_000);
    expect(repository.sends.size).toBe(0);
    at(refused.wakeAt);
    const again = await run(reminder, refused);
    expect(again).toMatchObject({ action: 'wait', busyVisits: 2 });
    busy = false;
    at(again.wakeAt);
    const sent = await run(reminder, again);
    expect(sent).toMatchObject({ action: 'next', outcome: 'sent', channel: 'email' });
    expect(sent.busyVisits).toBeUndefined();
    expect(emails).toHaveLength(1);
    expect(repository.timeline.filter((e) => e.kind === 'decision')).toHaveLength(1);
  });

  it('records a failed step and hands the customer over to a person (reason failed), without the error’s text', async () => {
    const { run, handOvers, repository } = setup();
    const result = await run({ stepId: 'hand-over-failed', handOver: 'failed' }, null, invoice, undefined, {
      failure: { Error: 'Klantreis.ProviderUnavailable', Cause: 'c1@example.nl could not be reached' },
    });
    expect(result).toMatchObject({ action: 'end', outcome: 'handed-over', handOver: 'failed' });
    expect(handOvers.map((h) => h.reason)).toEqual(['failed']);
    const failure = repository.timeline.find((e) => e.outcome === 'failed');
    expect(failure?.reasons?.join(' ')).toContain('Klantreis.ProviderUnavailable');
    expect(JSON.stringify(repository.timeline)).not.toContain('example.nl');
  });

  it('records a failed step but hands nobody over when the invoice is paid meanwhile', async () => {
    const { run, handOvers, repository } = setup();
    await repository.putSubject({
      customerId: customer.id,
      subjectId: invoice.id,
      status: 'paid',
      updatedAt: IN_WINDOW,
    });
    const result = await run({ stepId: 'hand-over-failed', handOver: 'failed' }, null, invoice, undefined, {
      failure: { Error: 'States.Timeout' },
    });
    expect(result).toMatchObject({ action: 'end', outcome: 'goal-reached' });
    expect(handOvers).toEqual([]);
    expect(repository.timeline.filter((e) => e.outcome === 'failed')).toHaveLength(1);
  });

  it('takes the supporting channel in the same invocation when the provider refuses the email', async () => {
    const { sms, run, at, repository } = setup({ refuseEmail: true });
    at(QUIET);
    const first = backInSlot(await run(reminder));
    at(first.wakeAt);
    const result = await run(reminder, first);
    expect(result).toMatchObject({ outcome: 'sent', channel: 'sms', action: 'next' });
    expect(result.reasons.join('\n')).toMatch(/MessageRejected/);
    expect(sms).toHaveLength(1);
    const messages = repository.timeline.filter((e) => e.kind === 'message');
    expect(messages.map((e) => [e.stepId, e.outcome])).toEqual([
      ['first-reminder', 'failed'],
      ['first-reminder-fallback', 'sent'],
    ]);
  });

  it('hands an unreachable customer over to a person and ends the run', async () => {
    const { run, handOvers, emails, sms } = setup({
      profile: { ...customer, email: undefined, phone: undefined },
    });
    const result = await run({ ...reminder, onUnreachable: 'hand-over' });
    expect(result).toMatchObject({ action: 'end', outcome: 'handed-over', handOver: 'unreachable' });
    expect(handOvers).toEqual([
      expect.objectContaining({
        reason: 'unreachable',
        handOverId: 'run-1.first-reminder',
        subjectId: 'INV-1',
      }),
    ]);
    expect(emails.length + sms.length).toBe(0);
  });

  it('skips a step whose condition is not met, with the reason, and moves on at once', async () => {
    const { emails, run, repository } = setup();
    const result = await run({
      ...reminder,
      stepId: 'pre-due-notice',
      templateId: 'payment-pre-due-notice',
      onlyIf: { kind: 'before-due' },
      next: { afterDueDays: 1 },
    });
    expect(result).toMatchObject({ action: 'continue', outcome: 'skipped' });
    expect(result.reasons).toEqual(['only before the due date: the invoice is due since 2026-11-26']);
    expect(emails).toHaveLength(0);
    expect(repository.timeline.find((e) => e.stepId === 'pre-due-notice')?.outcome).toBe('skipped');
  });

  it('runs the next step in the same invocation when a skipped step moves on at once (nextStep)', async () => {
    const { emails, run, at, repository } = setup();
    const notice = {
      ...reminder,
      stepId: 'pre-due-notice',
      templateId: 'payment-pre-due-notice',
      onlyIf: { kind: 'before-due' },
      next: { afterDueDays: 1 },
    };
    const result = await run(notice, null, invoice, reminder);
    // Not `continue` with a Choice and a second Task: the reminder's own result, from this one visit.
    expect(result).toMatchObject({ stepId: 'first-reminder', action: 'wait', pending: 'slot' });
    expect(repository.timeline.find((e) => e.stepId === 'pre-due-notice')?.outcome).toBe('skipped');
    at(result.wakeAt);
    const sent = await run(reminder, result);
    expect(sent).toMatchObject({ stepId: 'first-reminder', outcome: 'sent', action: 'next' });
    expect(emails).toHaveLength(1);
  });

  it('keeps the step’s own result when it sends, whatever its next step (nextStep)', async () => {
    const { emails, run, at } = setup();
    at(QUIET);
    const notice = { ...reminder, stepId: 'pre-due-notice', templateId: 'payment-pre-due-notice' };
    const subject = { ...invoice, dueDate: '2026-12-04' };
    const first = await run(notice, null, subject, reminder);
    expect(first).toMatchObject({ stepId: 'pre-due-notice', action: 'wait' });
    expect(emails).toHaveLength(0);
  });

  it('wakes the reminder the day after the due date when the notice goes out before it', async () => {
    const { run, at } = setup();
    at(QUIET);
    const step = { ...reminder, stepId: 'pre-due-notice', templateId: 'payment-pre-due-notice' };
    const subject = { ...invoice, dueDate: '2026-12-04' };
    const first = backInSlot(await run({ ...step, next: { afterDueDays: 1 } }, null, subject));
    at(first.wakeAt);
    const result = await run({ ...step, next: { afterDueDays: 1 } }, first, subject);
    expect(result.outcome).toBe('sent');
    expect(result.wakeAt.slice(0, 10)).toBe('2026-12-05');
    // At the notice's time of day, moved into the customer's (Saturday) window when that opens later:
    // the reminder's visit then sends at once.
    const sameTime = Date.parse(`2026-12-05${first.wakeAt.slice(10)}`);
    expect(Date.parse(result.wakeAt)).toBeGreaterThanOrEqual(sameTime);
    expect(Date.parse(result.wakeAt) - sameTime).toBeLessThan(2 * HOUR);
  });

  it('never sends twice when a visit is retried', async () => {
    const { emails, run, at, repository } = setup();
    at(QUIET);
    const first = backInSlot(await run(reminder));
    at(first.wakeAt);
    const once = await run(reminder, first);
    const again = await run(reminder, first);
    expect(emails).toHaveLength(1);
    expect(once.outcome).toBe('sent');
    expect(again).toMatchObject({ outcome: 'sent', action: 'next' });
    expect(repository.timeline.filter((e) => e.kind === 'message')).toHaveLength(1);
  });

  it('checks an email 48 hours later and sends the SMS when it was not opened, not when it was', async () => {
    for (const opened of [false, true]) {
      const { sms, run, at, repository } = setup();
      const step = { ...reminder, followUpUnreadHours: 48 };
      at(QUIET);
      const first = backInSlot(await run(step));
      at(first.wakeAt);
      const sent = await run(step, first);
      expect(sent).toMatchObject({ action: 'wait', pending: 'follow-up', outcome: 'sent', channel: 'email' });
      expect(Date.parse(sent.wakeAt) - Date.parse(first.wakeAt)).toBe(48 * HOUR);
      if (opened) {
        await repository.recordDeliveryOutcome(customer.id, 'run-1#first-reminder', {
          engagement: 'opened',
          at: first.wakeAt,
        });
      }
      at(sent.wakeAt);
      const followUp = await run(step, sent);
      expect(sms).toHaveLength(opened ? 0 : 1);
      // The next step is a week after the email, whatever the follow-up did.
      expect(followUp.action).toBe('next');
      expect(Date.parse(followUp.wakeAt) - Date.parse(first.wakeAt)).toBe(168 * HOUR);
      if (!opened) {
        expect(followUp.lastMessage).toMatchObject({ stepId: 'first-reminder-fallback', channel: 'sms' });
        const decision = repository.timeline.find(
          (e) => e.kind === 'decision' && e.stepId === 'first-reminder-fallback',
        );
        expect(decision?.reasons?.[0]).toBe('first reminder email not opened within 48 hours');
      }
    }
  });

  it('takes the supporting channel deliberately, and the customer’s own when that cannot reach them', async () => {
    const firm = { ...reminder, stepId: 'second-reminder', tone: 'firm', channelOrder: 'supporting' };
    const previous = (channel: 'email' | 'sms'): StepProgress => ({
      action: 'next',
      wakeAt: IN_WINDOW,
      stepId: 'first-reminder',
      outcome: 'sent',
      channel,
      reasons: [],
      pending: null,
      sentAt: '2026-11-24T10:00:00Z',
      sentChannel: channel,
      segment: { segmentId: 'default', tone: 'friendly', reasons: [], decidedAt: '2026-11-24T10:00:00Z' },
      lastMessage: { stepId: 'first-reminder', channel, at: '2026-11-24T10:00:00Z' },
      handOver: null,
    });
    const both = setup();
    expect(await both.run(firm, previous('email'))).toMatchObject({ outcome: 'sent', channel: 'sms' });
    const emailOnly = setup({ profile: { ...customer, phone: undefined } });
    const result = await emailOnly.run(firm, previous('email'));
    expect(result).toMatchObject({ outcome: 'sent', channel: 'email' });
    const decision = emailOnly.repository.timeline.find((e) => e.kind === 'decision');
    expect(decision?.reasons?.join('\n')).toMatch(
      /supporting channel sms not possible.*customer's channel instead/,
    );
  });
});
