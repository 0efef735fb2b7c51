import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { stepTablePorts } from '#application/journey-step/deps.ts';
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

function setup(options: { calls?: CallList; fullHours?: string[] } = {}) {
  let now = NOW;
  const repository = new InMemoryRepository();
  repository.customers.set(customer.id, customer);
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
  const visit = (deferredTo?: string) =>
    handler(
      {
        runId: 'run-7',
        journeyId: 'payment-reminder',
        customerId: customer.id,
        subject: invoice,
        step,
        journey: {
          progress: null,
          ...(deferredTo
            ? { deferral: { wake: { errorType: 'Klantreis.NotYet', errorMessage: deferredTo, trace: [] } } }
            : {}),
        },
      },
      lambdaContext,
    );
  /** Visits the step, and again at the slot it deferred to (the customer's spread in the window). */
  const run = async () => {
    try {
      return await visit();
    } catch (error) {
      if ((error as Error).name !== 'Klantreis.NotYet') throw error;
      const wake = (error as Error).message;
      now = new Date(wake);
      return visit(wake);
    }
  };
  const sentAt = () => now.toISOString();
  return { repository, sms, run, sentAt };
}

describe('run-journey-step: a step that calls', () => {
  it('calls a landline SMS cannot reach: a call task with the rendered script, due at the slot inside the centre’s hours', async () => {
    const calls = new CallList(() => NOW);
    const { run, sms, repository, sentAt } = setup({ calls });
    const result = await run();
    expect(result).toMatchObject({ outcome: 'sent', channel: 'phone' });
    expect(sms).toHaveLength(0);
    const [task] = calls.tasks();
    expect(task).toMatchObject({
      callTaskId: 'run-7.second-reminder.call',
      customerId: customer.id,
      phone: customer.phone,
      callAt: sentAt(),
      locale: 'nl',
    });
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
