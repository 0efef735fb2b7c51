import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { stepTablePorts } from '#application/journey-step/deps.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { HandOver } from '#core/hand-over.ts';
import type { StartProgress, StepProgress } from '#core/journey-step-run.ts';
import { PREVIEW_LINK_BASE } from '#core/short-link.ts';
import { LOCAL_UNSUBSCRIBE_KEY } from '#core/unsubscribe-token.ts';
import { makeHandler } from '#handlers/run-journey-step.ts';
import type { InvoiceSubject } from '#subjects/invoice.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { InMemoryTaskCallbacks } from '../../fixtures/in-memory-task-callbacks.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';
import { recordingSenders } from '../../fixtures/recording-senders.ts';
import { sdkError } from '../../fixtures/sdk-error.ts';

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
  amount: '125.50',
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
const IN_WINDOW = '2026-12-01T10:00:00.000Z';
// 23:00 in Amsterdam: quiet hours.
const QUIET = '2026-12-01T22:00:00.000Z';

function setup(
  options: {
    profile?: CustomerProfile;
    refuseEmail?: boolean;
    throttleEmail?: boolean;
    rateBusy?: () => boolean;
  } = {},
) {
  const repository = new InMemoryRepository();
  const profile = options.profile ?? customer;
  repository.customers.set(profile.id, profile);
  const { emails, sms, senders } = recordingSenders({
    emailFailure: () => {
      if (options.refuseEmail) return sdkError('MessageRejected', 400);
      if (options.throttleEmail) return sdkError('TooManyRequestsException', 429);
      return undefined;
    },
  });
  const handOvers: HandOver[] = [];
  // Step Functions' side of a callback Task: the completions the step sent, and the callbacks it kept.
  const completions: Array<{ taskToken: string; output?: unknown; error?: string }> = [];
  const callbackStore = new InMemoryTaskCallbacks(repository);
  let now = new Date(IN_WINDOW);
  const handler = makeHandler({
    ...stepTablePorts(repository),
    rateLimiter: { tryAcquire: async () => !options.rateBusy?.() },
    ...senders,
    catalog,
    policy,
    links: { portal: 'https://portal.example.com' },
    // An SMS carries short links, as on AWS, so the shipped texts keep to their part limits; nothing follows them here.
    shortLinks: { base: PREVIEW_LINK_BASE, store: { putShortLink: async () => {} } },
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
    taskTokens: {
      callbacks: {
        succeed: async (taskToken, output) => {
          completions.push({ taskToken, output });
          return true;
        },
        fail: async (taskToken, failure) => {
          completions.push({ taskToken, error: failure.error });
          return true;
        },
      },
      store: callbackStore,
    },
  });
  /** One visit of the step; `deferredTo`: back at the wake this step's deferral asked for (its Pass state). */
  const run = (
    step: Record<string, unknown>,
    progress: StepProgress | StartProgress | null = null,
    subject = invoice,
    extra: Record<string, unknown> = {},
    deferredTo?: string,
  ) =>
    handler(
      {
        runId: 'run-1',
        journeyId: 'payment-reminder',
        customerId: profile.id,
        subject,
        step,
        journey: {
          progress,
          ...(deferredTo
            ? { deferral: { wake: { errorType: 'Klantreis.NotYet', errorMessage: deferredTo, trace: [] } } }
            : {}),
        },
        ...extra,
      },
      lambdaContext,
    );
  /** Returns the wake a visit that throws `Klantreis.NotYet` asks for. */
  const notYet = async (visit: Promise<unknown>): Promise<string> => {
    const error = await thrown(visit);
    expect(error?.name, 'the visit defers (Klantreis.NotYet)').toBe('Klantreis.NotYet');
    expect(Number.isNaN(Date.parse(error?.message ?? ''))).toBe(false);
    return error?.message as string;
  };
  const at = (iso: string | Date) => {
    now = new Date(iso);
  };
  return { repository, emails, sms, handOvers, handler, run, notYet, at, completions, callbackStore };
}

/** Returns the error a visit throws (a control outcome for the step's Catch). */
async function thrown(visit: Promise<unknown>): Promise<Error | undefined> {
  return visit.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
}

describe('run-journey-step: one Task per message, Task → Wait', () => {
  it('ends the run when the goal is reached, sending nothing (Klantreis.RunEnded before the last step)', async () => {
    const { repository, emails, run } = setup();
    await repository.putSubject({
      customerId: customer.id,
      subjectId: invoice.id,
      status: 'paid',
      updatedAt: IN_WINDOW,
    });
    const error = await thrown(run(reminder));
    expect(error).toMatchObject({ name: 'Klantreis.RunEnded', message: 'goal reached' });
    expect(emails).toHaveLength(0);
    // The conversation says why the run ended (an event recorded before the run started stopped nothing).
    const ended = (await repository.listTimeline(customer.id)).filter((e) => e.kind === 'journey');
    expect(ended).toEqual([
      expect.objectContaining({ outcome: 'goal-reached', reasons: ['goal reached: invoice paid'] }),
    ]);
    // The journey's last step has no next: it returns the end itself (its Task is End, no Catch needed).
    const { next: _next, ...last } = reminder;
    expect(await run(last)).toMatchObject({ action: 'end', outcome: 'goal-reached' });
  });

  it('defers to the slot when it is not yet in the customer’s window, sending nothing', async () => {
    const { emails, run, notYet, at, repository } = setup();
    at(QUIET);
    const wake = await notYet(run(reminder));
    expect(Date.parse(wake)).toBeGreaterThan(Date.parse(QUIET));
    expect(emails).toHaveLength(0);
    expect(repository.timeline.filter((e) => e.kind === 'decision')).toHaveLength(1);
  });

  it('sends at the slot it deferred to and returns the next step’s wake time, a week after the send', async () => {
    const { emails, run, notYet, at, repository } = setup();
    at(QUIET);
    const wake = await notYet(run(reminder));
    at(wake);
    // The same input as the first visit (a deferral changes no progress), plus the wake it asked for.
    const result = await run(reminder, null, invoice, {}, wake);
    expect(result).toMatchObject({ action: 'next', outcome: 'sent', channel: 'email', sentAt: wake });
    expect(Date.parse(result.wakeAt) - Date.parse(wake)).toBe(168 * HOUR);
    expect(result.lastMessage).toMatchObject({ stepId: 'first-reminder', channel: 'email' });
    expect(emails).toHaveLength(1);
    expect(emails[0]?.text).toContain(invoice.payUrl);
    // The slot decided on the first visit stands: one decision in the conversation, not two.
    expect(repository.timeline.filter((e) => e.kind === 'decision')).toHaveLength(1);
  });

  it('sends at once when woken at the time the previous step planned (no second spread)', async () => {
    const { emails, run, at } = setup();
    const planned = await run({
      ...reminder,
      stepId: 'pre-due-notice',
      onlyIf: { kind: 'before', of: 'dueDate' },
    });
    at(IN_WINDOW);
    const result = await run(
      { ...reminder, stepId: 'second-reminder', tone: 'firm' },
      { ...planned, action: 'next', wakeAt: IN_WINDOW },
    );
    expect(result).toMatchObject({ outcome: 'sent', action: 'next' });
    expect(emails).toHaveLength(1);
  });

  it('sends at the run’s planned first wake when it is inside the window (no decided slot, no deferral)', async () => {
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
    const fromStart = await planned.notYet(planned.run(reminder, { action: 'start', wakeAt: QUIET }));
    const fresh = setup();
    fresh.at(QUIET);
    expect(fromStart).toBe(await fresh.notYet(fresh.run(reminder)));
    expect(planned.emails).toHaveLength(0);
  });

  it('defers a few minutes and sends once when the account’s send rate is busy, never failing the run', async () => {
    let busy = true;
    const { emails, run, notYet, at, repository } = setup({ rateBusy: () => busy });
    at(IN_WINDOW);
    const start = { action: 'start', wakeAt: IN_WINDOW } as const;
    const wake = await notYet(run(reminder, start));
    const delay = Date.parse(wake) - Date.parse(IN_WINDOW);
    expect(delay).toBeGreaterThanOrEqual(60_000);
    expect(delay).toBeLessThan(15 * 60_000);
    expect(repository.sends.size).toBe(0);
    at(wake);
    const again = await notYet(run(reminder, start, invoice, {}, wake));
    expect(Date.parse(again)).toBeGreaterThan(Date.parse(wake));
    busy = false;
    at(again);
    const sent = await run(reminder, start, invoice, {}, again);
    expect(sent).toMatchObject({ action: 'next', outcome: 'sent', channel: 'email' });
    expect(emails).toHaveLength(1);
    expect(repository.timeline.filter((e) => e.kind === 'decision')).toHaveLength(1);
  });

  it('defers a send the provider throttles (after the tries in the invocation), never failing the run', async () => {
    const { run, notYet, at, repository } = setup({ throttleEmail: true });
    at(IN_WINDOW);
    // ProviderThrottled is a deferral now (a few minutes later), not an ASL retry and then a failure.
    const wake = await notYet(run(reminder, { action: 'start', wakeAt: IN_WINDOW }));
    expect(Date.parse(wake) - Date.parse(IN_WINDOW)).toBeGreaterThanOrEqual(60_000);
    // The claim was released: the deferred visit may send.
    expect([...repository.sends.values()].filter((r) => r.status !== 'in-progress')).toHaveLength(0);
  });

  it('records a failed step and hands the customer over to a person (reason failed), without the error’s text', async () => {
    const { run, handOvers, repository } = setup();
    const result = await run({ stepId: 'hand-over-failed', handOver: 'failed' }, null, invoice, {
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
    const result = await run({ stepId: 'hand-over-failed', handOver: 'failed' }, null, invoice, {
      failure: { Error: 'States.Timeout' },
    });
    expect(result).toMatchObject({ action: 'end', outcome: 'goal-reached' });
    expect(handOvers).toEqual([]);
    expect(repository.timeline.filter((e) => e.outcome === 'failed')).toHaveLength(1);
  });

  it('takes the supporting channel in the same invocation when the provider refuses the email', async () => {
    const { sms, run, notYet, at, repository } = setup({ refuseEmail: true });
    at(QUIET);
    const wake = await notYet(run(reminder));
    at(wake);
    const result = await run(reminder, null, invoice, {}, wake);
    expect(result).toMatchObject({ outcome: 'sent', channel: 'sms', action: 'next' });
    expect(result.reasons.join('\n')).toMatch(/MessageRejected/);
    expect(sms).toHaveLength(1);
    const messages = repository.timeline.filter((e) => e.kind === 'message');
    expect(messages.map((e) => [e.stepId, e.outcome])).toEqual([
      ['first-reminder', 'failed'],
      ['first-reminder-fallback', 'sent'],
    ]);
    // The supporting channel's decision is recorded, with the refusal as its first reason.
    const decision = repository.timeline.find(
      (e) => e.kind === 'decision' && e.stepId === 'first-reminder-fallback',
    );
    expect(decision?.reasons?.[0]).toMatch(/MessageRejected/);
  });

  it('hands an unreachable customer over to a person and ends the run (Klantreis.RunEnded)', async () => {
    const { run, handOvers, emails, sms, repository } = setup({
      profile: { ...customer, email: undefined, phone: undefined },
    });
    const error = await thrown(run({ ...reminder, onUnreachable: 'hand-over' }));
    expect(error).toMatchObject({ name: 'Klantreis.RunEnded', message: 'handed over' });
    // Published and recorded before the run ends.
    expect(handOvers).toEqual([
      expect.objectContaining({
        reason: 'unreachable',
        handOverId: 'run-1.first-reminder',
        subjectId: 'INV-1',
      }),
    ]);
    expect(repository.timeline.filter((e) => e.outcome === 'escalated')).toHaveLength(1);
    expect(emails.length + sms.length).toBe(0);
  });

  it('skips a step whose condition is not met, with the reason, and wakes the next step', async () => {
    const { emails, run, at, repository } = setup();
    const result = await run({
      ...reminder,
      stepId: 'pre-due-notice',
      templateId: 'payment-pre-due-notice',
      onlyIf: { kind: 'before', of: 'dueDate' },
      next: { daysAfter: 1, of: 'dueDate' },
    });
    // Due since 26 November: the day after that has passed, so the next step wakes now.
    expect(result).toMatchObject({ action: 'next', outcome: 'skipped', wakeAt: IN_WINDOW });
    expect(result.reasons).toEqual(['only before dueDate 2026-11-26: that day has come']);
    expect(emails).toHaveLength(0);
    expect(repository.timeline.find((e) => e.stepId === 'pre-due-notice')?.outcome).toBe('skipped');
    // Woken at once with the notice's result, the reminder sends (no spread, no deferral).
    at(result.wakeAt);
    expect(await run(reminder, result)).toMatchObject({ stepId: 'first-reminder', outcome: 'sent' });
    expect(emails).toHaveLength(1);
  });

  it('wakes the reminder the day after the due date when the notice goes out before it', async () => {
    const { run, notYet, at } = setup();
    at(QUIET);
    const step = { ...reminder, stepId: 'pre-due-notice', templateId: 'payment-pre-due-notice' };
    const subject = { ...invoice, dueDate: '2026-12-04' };
    const wake = await notYet(run({ ...step, next: { daysAfter: 1, of: 'dueDate' } }, null, subject));
    at(wake);
    const result = await run({ ...step, next: { daysAfter: 1, of: 'dueDate' } }, null, subject, {}, wake);
    expect(result.outcome).toBe('sent');
    expect(result.wakeAt.slice(0, 10)).toBe('2026-12-05');
    // At the notice's time of day, moved into the customer's (Saturday) window when that opens later:
    // the reminder's visit then sends at once.
    const sameTime = Date.parse(`2026-12-05${wake.slice(10)}`);
    expect(Date.parse(result.wakeAt)).toBeGreaterThanOrEqual(sameTime);
    expect(Date.parse(result.wakeAt) - sameTime).toBeLessThan(2 * HOUR);
  });

  it('never sends twice when a visit is retried', async () => {
    const { emails, run, notYet, at, repository } = setup();
    at(QUIET);
    const wake = await notYet(run(reminder));
    at(wake);
    const once = await run(reminder, null, invoice, {}, wake);
    const again = await run(reminder, null, invoice, {}, wake);
    expect(emails).toHaveLength(1);
    expect(once.outcome).toBe('sent');
    expect(again).toMatchObject({ outcome: 'sent', action: 'next' });
    expect(repository.timeline.filter((e) => e.kind === 'message')).toHaveLength(1);
  });

  it('wakes its read check 48 hours after the email, which sends the SMS when it was not opened, not when it was', async () => {
    for (const opened of [false, true]) {
      const { sms, run, at, repository } = setup();
      const step = { ...reminder, followUpUnreadHours: 48 };
      const wake = new Date(Date.parse(IN_WINDOW) + 5 * 60_000).toISOString();
      at(wake);
      const sent = await run(step, { action: 'start', wakeAt: wake });
      expect(sent).toMatchObject({ action: 'next', pending: 'follow-up', outcome: 'sent', channel: 'email' });
      expect(Date.parse(sent.wakeAt) - Date.parse(wake)).toBe(48 * HOUR);
      if (opened) {
        await repository.recordDeliveryOutcome(customer.id, 'run-1#first-reminder', {
          engagement: 'opened',
          at: wake,
        });
      }
      at(sent.wakeAt);
      const checked = await run({ ...step, readCheck: true }, sent);
      expect(sms).toHaveLength(opened ? 0 : 1);
      // The next step is a week after the email, whatever the read check did.
      expect(checked).toMatchObject({ action: 'next', stepId: 'first-reminder', pending: null });
      expect(Date.parse(checked.wakeAt) - Date.parse(wake)).toBe(168 * HOUR);
      if (!opened) {
        expect(checked.lastMessage).toMatchObject({ stepId: 'first-reminder-fallback', channel: 'sms' });
        const decision = repository.timeline.find(
          (e) => e.kind === 'decision' && e.stepId === 'first-reminder-fallback',
        );
        expect(decision?.reasons?.[0]).toBe('first reminder email not opened within 48 hours');
      }
    }
  });

  it('wakes its read check at once when no check is needed, which wakes the next step a week after the message', async () => {
    const { sms, emails, run, at } = setup({ profile: { ...customer, phone: undefined } });
    const step = { ...reminder, followUpUnreadHours: 48 };
    at(IN_WINDOW);
    const sent = await run(step, { action: 'start', wakeAt: IN_WINDOW });
    // No supporting channel: nothing to check, so the read check is woken now.
    expect(sent).toMatchObject({ action: 'next', pending: null, outcome: 'sent', wakeAt: IN_WINDOW });
    const checked = await run({ ...step, readCheck: true }, sent);
    expect(Date.parse(checked.wakeAt) - Date.parse(IN_WINDOW)).toBe(168 * HOUR);
    expect(checked).toMatchObject({ outcome: 'sent', sentAt: IN_WINDOW, channel: 'email' });
    expect(emails).toHaveLength(1);
    expect(sms).toHaveLength(0);
  });

  it('as a callback Task, keeps its token with the progress once read when the email has a supporting channel', async () => {
    const { run, at, completions, callbackStore, sms } = setup();
    const step = { ...reminder, followUpUnreadHours: 48 };
    at(IN_WINDOW);
    await run(step, { action: 'start', wakeAt: IN_WINDOW }, invoice, { taskToken: 'token-1' });
    // Nothing completed yet: the email's open (or the 48-hour timeout) decides.
    expect(completions).toEqual([]);
    expect(sms).toHaveLength(0);
    const hold = callbackStore.holds.get('run-1#first-reminder');
    expect(hold?.taskToken).toBe('token-1');
    const onceRead = JSON.parse(hold?.output ?? '{}') as StepProgress;
    // Once read: straight to the next step, a week after the email (no read-check visit).
    expect(onceRead).toMatchObject({ action: 'next', pending: null, outcome: 'sent', channel: 'email' });
    expect(Date.parse(onceRead.wakeAt) - Date.parse(IN_WINDOW)).toBe(168 * HOUR);
  });

  it('as a callback Task, completes its token at once when there is nothing to check', async () => {
    const { run, at, completions, callbackStore } = setup({ profile: { ...customer, phone: undefined } });
    at(IN_WINDOW);
    const step = { ...reminder, followUpUnreadHours: 48 };
    await run(step, { action: 'start', wakeAt: IN_WINDOW }, invoice, { taskToken: 'token-2' });
    expect(completions).toHaveLength(1);
    const output = completions[0]?.output as StepProgress;
    expect(completions[0]?.taskToken).toBe('token-2');
    expect(output).toMatchObject({ action: 'next', pending: null, outcome: 'sent' });
    expect(Date.parse(output.wakeAt) - Date.parse(IN_WINDOW)).toBe(168 * HOUR);
    expect(callbackStore.holds.size).toBe(0);
  });

  it('after a callback Task timed out, its read check sends the SMS from the send record', async () => {
    const { run, at, sms } = setup();
    const step = { ...reminder, followUpUnreadHours: 48 };
    at(IN_WINDOW);
    await run(step, { action: 'start', wakeAt: IN_WINDOW }, invoice, { taskToken: 'token-3' });
    const timedOut = new Date(Date.parse(IN_WINDOW) + 48 * HOUR).toISOString();
    at(timedOut);
    // The Catch keeps `$.journey` as it was before the Task: the run's start, not the step's result.
    const checked = await run({ ...step, readCheck: true }, { action: 'start', wakeAt: IN_WINDOW }, invoice, {
      readCheckFailed: { Error: 'States.Timeout', Cause: 'not completed within 172800 seconds' },
    });
    expect(sms).toHaveLength(1);
    expect(checked).toMatchObject({ action: 'next', pending: null });
    expect(checked.lastMessage).toMatchObject({ stepId: 'first-reminder-fallback', channel: 'sms' });
    expect(Date.parse(checked.wakeAt) - Date.parse(IN_WINDOW)).toBe(168 * HOUR);
  });

  it('ends the run at the read check when the invoice was paid in the 48 hours, sending no SMS', async () => {
    const { sms, run, at, repository } = setup();
    const step = { ...reminder, followUpUnreadHours: 48 };
    at(IN_WINDOW);
    const sent = await run(step, { action: 'start', wakeAt: IN_WINDOW });
    await repository.putSubject({
      customerId: customer.id,
      subjectId: invoice.id,
      status: 'paid',
      updatedAt: IN_WINDOW,
    });
    at(sent.wakeAt);
    const error = await thrown(run({ ...step, readCheck: true }, sent));
    expect(error?.name).toBe('Klantreis.RunEnded');
    expect(sms).toHaveLength(0);
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

  it('also accepts the previous result as a top-level `progress` field', async () => {
    const { emails, handler, at } = setup();
    at(IN_WINDOW);
    const result = await handler(
      {
        runId: 'run-1',
        journeyId: 'payment-reminder',
        customerId: customer.id,
        subject: invoice,
        step: reminder,
        progress: { action: 'start', wakeAt: IN_WINDOW },
      },
      lambdaContext,
    );
    expect(result).toMatchObject({ outcome: 'sent', sentAt: IN_WINDOW });
    expect(emails).toHaveLength(1);
  });

  describe('a first step preceded by another (precededBy: the notice before the first reminder)', () => {
    const first = {
      ...reminder,
      precededBy: {
        stepId: 'pre-due-notice',
        templateId: 'payment-pre-due-notice',
        onlyIf: { kind: 'before', of: 'dueDate' },
        until: { daysAfter: 1, of: 'dueDate' },
      },
    };
    const start = { action: 'start', wakeAt: IN_WINDOW } as const;

    it('hands over to the notice (Klantreis.TooEarly) when the run starts before the due date, or on it', async () => {
      for (const dueDate of ['2026-12-04', '2026-12-01']) {
        const { emails, run, at, repository } = setup();
        at(IN_WINDOW);
        const error = await thrown(run(first, start, { ...invoice, dueDate }));
        expect(error).toMatchObject({ name: 'Klantreis.TooEarly', message: 'pre-due-notice first' });
        expect(emails).toHaveLength(0);
        expect(repository.timeline).toHaveLength(0);
      }
    });

    it('records the notice as skipped (the reason the notice would give) and sends at once when the run starts after it', async () => {
      const { emails, run, at, repository } = setup();
      at(IN_WINDOW);
      const result = await run(first, start);
      expect(result).toMatchObject({ stepId: 'first-reminder', outcome: 'sent' });
      expect(emails).toHaveLength(1);
      const skipped = repository.timeline.find((e) => e.stepId === 'pre-due-notice');
      expect(skipped).toMatchObject({
        kind: 'decision',
        outcome: 'skipped',
        templateId: 'payment-pre-due-notice',
      });
      expect(skipped?.reasons).toEqual(['only before dueDate 2026-11-26: that day has come']);
    });

    it('goes on when woken by the notice, and when back from its own deferral (no second record)', async () => {
      const { emails, run, at } = setup();
      const notice = await run({
        ...reminder,
        stepId: 'pre-due-notice',
        onlyIf: { kind: 'before', of: 'dueDate' },
      });
      at(IN_WINDOW);
      expect(
        await run(first, { ...notice, wakeAt: IN_WINDOW }, { ...invoice, dueDate: '2026-11-30' }),
      ).toMatchObject({ outcome: 'sent' });
      expect(emails).toHaveLength(1);
      const late = setup();
      late.at(QUIET);
      const wake = await late.notYet(late.run(first, { action: 'start', wakeAt: QUIET }));
      late.at(wake);
      await late.run(first, { action: 'start', wakeAt: QUIET }, invoice, {}, wake);
      expect(late.repository.timeline.filter((e) => e.stepId === 'pre-due-notice')).toHaveLength(1);
    });
  });
});
