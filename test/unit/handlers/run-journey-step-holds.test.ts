/**
 * A person's hold on the customer's messages (a pause, a promise to pay) keeps every message step back
 * until it ends, as quiet hours do: the step records why and defers, and sends once the hold is over.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { stepTablePorts } from '#application/journey-step/deps.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneyRun } from '#core/ports.ts';
import { PREVIEW_LINK_BASE } from '#core/short-link.ts';
import { LOCAL_UNSUBSCRIBE_KEY } from '#core/unsubscribe-token.ts';
import { makeHandler } from '#handlers/run-journey-step.ts';
import type { InvoiceSubject } from '#subjects/invoice.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';
import { recordingSenders } from '../../fixtures/recording-senders.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());
const policy = loadPolicy();
const customer: CustomerProfile = {
  id: 'c-1',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'c1@example.nl',
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
  stepId: 'second-reminder',
  templateId: 'payment-reminder',
  purpose: 'service',
  channels: ['email'],
  next: { afterHours: 168 },
};
// Tuesday 1 December 2026, 11:00 in Amsterdam: inside the customer's window.
const IN_WINDOW = '2026-12-01T10:00:00.000Z';
const run: JourneyRun = {
  runId: 'run-1',
  journeyId: 'payment-reminder',
  customerId: 'c-1',
  executionArn: 'arn:aws:states:eu-west-1:0:execution:x:run-1',
  status: 'running',
  startedAt: '2026-11-20T10:00:00.000Z',
};

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set(customer.id, customer);
  repository.runs.set(run.runId, run);
  const { emails, senders } = recordingSenders({ emailFailure: () => undefined });
  let now = new Date(IN_WINDOW);
  const handler = makeHandler({
    ...stepTablePorts(repository),
    rateLimiter: { tryAcquire: async () => true },
    ...senders,
    catalog,
    policy,
    links: { portal: 'https://portal.example.com' },
    // An SMS carries short links, as on AWS, so the shipped texts keep to their part limits; nothing follows them here.
    shortLinks: { base: PREVIEW_LINK_BASE, store: { putShortLink: async () => {} } },
    unsubscribe: { baseUrl: 'https://api.example.com/unsubscribe', key: async () => LOCAL_UNSUBSCRIBE_KEY },
    handOvers: { publisher: { publish: async () => {} }, apiBaseUrl: 'https://api.example.com' },
    clock: { now: () => now },
    stage: 'test',
  });
  const visit = (deferredTo?: string, trace: string[] = []) =>
    handler(
      {
        runId: 'run-1',
        journeyId: 'payment-reminder',
        customerId: customer.id,
        subject: invoice,
        step: reminder,
        journey: {
          progress: null,
          ...(deferredTo
            ? { deferral: { wake: { errorType: 'Klantreis.NotYet', errorMessage: deferredTo, trace } } }
            : {}),
        },
      },
      lambdaContext,
    );
  const at = (iso: string) => {
    now = new Date(iso);
  };
  /** Visits the step, and again at its slot when that is later (the run's first visit spreads it). */
  const visitAtSlot = async () => {
    const first = await failure(visit());
    if (first?.name !== 'Klantreis.NotYet') throw new Error(`expected the spread slot, got ${first?.name}`);
    expect(repository.timeline.some((e) => e.summary.includes('deferred,'))).toBe(false);
    at(first.message);
    return visit(first.message);
  };
  return { repository, emails, visit, visitAtSlot, at };
}

function failure(visit: Promise<unknown>): Promise<Error | undefined> {
  return visit.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
}

describe('a person’s hold on the customer’s messages', () => {
  it('defers a paused customer’s message to the pause’s end, saying why, and sends after it', async () => {
    const { repository, emails, visit, at } = setup();
    await repository.putHold('c-1', {
      kind: 'pause',
      until: '2026-12-10T08:00:00.000Z',
      by: 'anna',
      at: IN_WINDOW,
    });
    const error = await failure(visit());
    expect(error).toMatchObject({ name: 'Klantreis.NotYet', message: '2026-12-10T08:00:00.000Z' });
    expect(emails).toHaveLength(0);
    expect(repository.timeline).toMatchObject([
      {
        kind: 'decision',
        summary:
          'payment-reminder/second-reminder: deferred, paused until 2026-12-10T08:00:00.000Z by a person (anna)',
      },
    ]);
    // Where the run is, for the console: this step, waking at the pause's end.
    expect(repository.runs.get('run-1')).toMatchObject({
      currentStep: 'second-reminder',
      nextWakeAt: '2026-12-10T08:00:00.000Z',
    });

    at('2026-12-10T08:00:00.000Z');
    // The deferral's Pass state hands the error's trace lines back (`Klantreis.NotYet: …`, then `held`).
    const sent = await visit('2026-12-10T08:00:00.000Z', String(error?.stack).split('\n'));
    expect(sent).toMatchObject({ action: 'next', outcome: 'sent' });
    expect(emails).toHaveLength(1);
    // Held before it decided: the visit after the hold decides, with its reasons in the conversation.
    const decisions = repository.timeline.filter(
      (e) => e.kind === 'decision' && !e.summary.includes('deferred,'),
    );
    expect(decisions).toHaveLength(1);
    expect(repository.runs.get('run-1')?.nextWakeAt).toBe(sent.wakeAt);
  });

  it('holds the promised run only: another run of the customer sends', async () => {
    const { repository, emails, visitAtSlot } = setup();
    await repository.putHold('c-1', {
      kind: 'promise-to-pay',
      until: '2026-12-17T00:00:00.000Z',
      by: 'anna',
      at: IN_WINDOW,
      runId: 'run-other',
      promisedDate: '2026-12-15',
    });
    expect(await visitAtSlot()).toMatchObject({ outcome: 'sent' });
    expect(emails).toHaveLength(1);
  });

  it('lets the message go once a lifted pause is gone', async () => {
    const { repository, emails, visitAtSlot } = setup();
    await repository.putHold('c-1', {
      kind: 'pause',
      until: '2026-12-10T08:00:00.000Z',
      by: 'anna',
      at: IN_WINDOW,
    });
    await repository.removeHold('c-1');
    expect(await visitAtSlot()).toMatchObject({ outcome: 'sent' });
    expect(emails).toHaveLength(1);
  });
});
