import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { stepTablePorts } from '#application/journey-step/deps.ts';
import { type CallOutcome, callSummary } from '#core/call-outcome.ts';
import { actionEntry } from '#core/console-action.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { CallCapacity } from '#core/ports.ts';
import { PREVIEW_LINK_BASE } from '#core/short-link.ts';
import { LOCAL_UNSUBSCRIBE_KEY } from '#core/unsubscribe-token.ts';
import { makeHandler } from '#handlers/run-journey-step.ts';
import { CallList } from '#infra/local/call-list.ts';
import type { InvoiceSubject } from '#subjects/invoice.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';
import { recordingSenders } from '../../fixtures/recording-senders.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());
const policy = loadPolicy();
/** Only a landline (Amsterdam 020): callable, not textable. */
const customer: CustomerProfile = {
  id: 'c-landline',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1950-03-02',
  name: { given: 'Joke' },
  phone: '+31201234567',
};
const invoice: InvoiceSubject = {
  type: 'invoice',
  id: 'INV-7',
  amount: '80.00',
  currency: 'EUR',
  dueDate: '2026-11-26',
  payUrl: 'https://pay.example.com/INV-7',
};
const step = {
  stepId: 'second-reminder',
  templateId: 'payment-reminder',
  purpose: 'service',
  tone: 'firm',
  channels: ['sms', 'phone'],
  next: { afterHours: 168 },
};
// Tuesday 1 December 2026, 11:00 in Amsterdam: in the customer's window and the contact centre's hours.
const NOW = new Date('2026-12-01T10:00:00.000Z');

function setup(options: { calls?: CallList; fullHours?: string[]; customer?: CustomerProfile } = {}) {
  let now = NOW;
  const repository = new InMemoryRepository();
  const called = options.customer ?? customer;
  repository.customers.set(called.id, called);
  const { sms, senders } = recordingSenders({});
  const capacity: CallCapacity = {
    tryReserve: async (hour, _perHour, { callAt }) => (options.fullHours?.includes(hour) ? null : callAt),
  };
  const handler = makeHandler({
    ...stepTablePorts(repository),
    rateLimiter: { tryAcquire: async () => true },
    ...senders,
    ...(options.calls ? { calls: options.calls } : {}),
    callCapacity: capacity,
    catalog,
    policy,
    links: { portal: 'https://portal.example.com' },
    shortLinks: { base: PREVIEW_LINK_BASE, store: { putShortLink: async () => {} } },
    unsubscribe: { baseUrl: 'https://api.example.com/unsubscribe', key: async () => LOCAL_UNSUBSCRIBE_KEY },
    handOvers: { publisher: { publish: async () => {} }, apiBaseUrl: 'https://api.example.com' },
    clock: { now: () => now },
    stage: 'test',
  });
  const visit = (deferral?: Error) =>
    handler(
      {
        runId: 'run-7',
        journeyId: 'payment-reminder',
        customerId: called.id,
        subject: invoice,
        step,
        journey: {
          progress: null,
          ...(deferral
            ? {
                deferral: {
                  wake: {
                    errorType: deferral.name,
                    errorMessage: deferral.message,
                    trace: (deferral.stack ?? '').split('\n'),
                  },
                },
              }
            : {}),
        },
      },
      lambdaContext,
    );
  /** The visits a step's own deferrals ask for, each at its wake; `between` runs before each later visit. */
  const wakes: string[] = [];
  const run = async (between: (wake: Date) => Promise<void> = async () => {}) => {
    let deferral: Error | undefined;
    for (let visits = 0; visits < 6; visits++) {
      try {
        return await visit(deferral);
      } catch (error) {
        if ((error as Error).name !== 'Klantreis.NotYet') throw error;
        deferral = error as Error;
        wakes.push(deferral.message);
        now = new Date(deferral.message);
        await between(now);
      }
    }
    throw new Error('the step kept deferring');
  };
  const sentAt = () => now.toISOString();
  return { repository, sms, run, sentAt, wakes };
}

/** The contact centre's outcome for run-7, as `call.completed` writes it into the conversation. */
function recordOutcome(repository: InMemoryRepository, outcome: CallOutcome, at: Date) {
  return repository.appendTimeline({
    ...actionEntry({
      id: `call-${at.getTime()}`,
      customerId: repository.customers.keys().next().value as string,
      at,
      actor: 'call.completed',
      summary: callSummary(outcome, undefined),
      runId: 'run-7',
    }),
    stepId: 'second-reminder',
  });
}

describe('run-journey-step: a step that calls', () => {
  it('calls a landline SMS cannot reach: a call task with the rendered script, due at the slot inside the centre’s hours', async () => {
    const calls = new CallList(() => NOW);
    const { run, sms, repository, wakes } = setup({ calls });
    const result = await run();
    expect(result).toMatchObject({ outcome: 'sent', channel: 'phone' });
    expect(sms).toHaveLength(0);
    const [task] = calls.tasks();
    // The call at the slot (the step's first deferral), the outcome looked for four hours later.
    expect(task).toMatchObject({
      callTaskId: 'run-7.second-reminder.call',
      customerId: customer.id,
      phone: customer.phone,
      callAt: wakes[0],
      locale: 'nl',
    });
    expect(wakes[1]).toBe(new Date(Date.parse(wakes[0] as string) + 4 * 3_600_000).toISOString());
    // No outcome meanwhile: the next step seven days after the call, as planned.
    expect(Date.parse(result.wakeAt)).toBeGreaterThanOrEqual(
      Date.parse(wakes[0] as string) + 168 * 3_600_000,
    );
    expect(task?.script).toContain('Spreek ik met Joke?');
    expect(task?.script).toContain('INV-7');
    const decision = repository.timeline.find((e) => e.kind === 'decision');
    expect(decision?.reasons).toContain('sms dropped: phone number is not a valid mobile number');
  });

  it('plans the call into the next hour with room when the contact centre’s hour is full', async () => {
    const calls = new CallList(() => NOW);
    const { run } = setup({ calls, fullHours: ['2026-12-01T10:00:00.000Z'] });
    await run();
    expect(calls.tasks()[0]?.callAt).toBe('2026-12-01T11:00:00.000Z');
  });

  it('does not call on a stage without a contact centre: the call is skipped with the reason', async () => {
    const { run, repository } = setup();
    await run().catch(() => undefined);
    const skipped = repository.timeline.find((e) => e.kind === 'message' && e.outcome === 'skipped');
    expect(skipped?.reasons?.[0]).toBe(
      'phone dropped at send time: no contact centre takes call tasks on this stage',
    );
  });
});

describe('run-journey-step: a call not answered', () => {
  it('sends the step’s message on its supporting channel after a no-answer, with the reason', async () => {
    const calls = new CallList(() => NOW);
    const mobile: CustomerProfile = {
      ...customer,
      id: 'c-mobile',
      phone: '+31612345678',
      preferences: { channel: 'phone' },
    };
    const { run, sms, repository } = setup({ calls, customer: mobile });
    let answered = false;
    const result = await run(async (wake) => {
      if (calls.tasks().length === 1 && !answered) {
        answered = true;
        await recordOutcome(repository, 'no-answer', new Date(wake.getTime() - 3_600_000));
      }
    });
    expect(calls.tasks()).toHaveLength(1);
    expect(sms).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'sent', channel: 'sms' });
    const decision = repository.timeline.find(
      (e) => e.kind === 'decision' && e.stepId === 'second-reminder-fallback',
    );
    expect(decision?.reasons?.[0]).toBe('phone: no answer: the supporting channel');
  });

  it('calls once more at the contact centre’s next free slot when no supporting channel reaches the customer', async () => {
    const calls = new CallList(() => NOW);
    const { run, sms, repository } = setup({ calls });
    const result = await run(async (wake) => {
      if (calls.tasks().length === 1) {
        await recordOutcome(repository, 'no-answer', new Date(wake.getTime() - 3_600_000));
      }
    });
    expect(sms).toHaveLength(0);
    const [first, again] = calls.tasks();
    expect(again).toMatchObject({ callTaskId: 'run-7.second-reminder-retry.call', customerId: customer.id });
    expect(Date.parse(again?.callAt as string)).toBeGreaterThan(Date.parse(first?.callAt as string));
    expect(calls.tasks()).toHaveLength(2);
    // The next step counts from the first call.
    expect(Date.parse(result.wakeAt)).toBeGreaterThanOrEqual(
      Date.parse(first?.callAt as string) + 168 * 3_600_000,
    );
    const decision = repository.timeline.find(
      (e) => e.kind === 'decision' && e.stepId === 'second-reminder-retry',
    );
    expect(decision?.reasons?.[0]).toMatch(/^phone: no answer, no supporting channel: called again once/);
  });

  it('moves on from the call when the customer was reached', async () => {
    const calls = new CallList(() => NOW);
    const { run, repository } = setup({ calls });
    const result = await run(async (wake) => {
      if (calls.tasks().length === 1) await recordOutcome(repository, 'reached', wake);
    });
    expect(calls.tasks()).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'sent', channel: 'phone' });
  });
});
