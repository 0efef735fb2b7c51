/**
 * The result events a journey step visit records: its decision and message in the step's experiment
 * arm, a holdout's decision and the goal its run reaches later, attributed to that arm; and a
 * results store that is down never fails the send.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { stepTablePorts } from '#application/journey-step/deps.ts';
import { recordRunOutcome } from '#application/results-recording.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { assignArm, type Experiment } from '#core/experiment.ts';
import type { StartProgress, StepProgress } from '#core/journey-step-run.ts';
import { PREVIEW_LINK_BASE } from '#core/short-link.ts';
import { LOCAL_UNSUBSCRIBE_KEY } from '#core/unsubscribe-token.ts';
import { makeHandler } from '#handlers/run-journey-step.ts';
import type { InvoiceSubject } from '#subjects/invoice.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { InMemoryResults } from '../../fixtures/in-memory-results.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';
import { recordingSenders } from '../../fixtures/recording-senders.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());
const policy = loadPolicy();
// Tuesday 1 December 2026, 11:00 in Amsterdam: inside the window.
const IN_WINDOW = '2026-12-01T10:00:00.000Z';
const DAY = 86_400_000;

const invoice: InvoiceSubject = {
  type: 'invoice',
  id: 'INV-1',
  amount: '125.50',
  currency: 'EUR',
  dueDate: '2026-11-26',
  payUrl: 'https://pay.example.com/INV-1',
};
const textExperiment: Experiment = {
  id: 'first-reminder-text',
  arms: [
    { id: 'control', weight: 50 },
    { id: 'firm', weight: 50, variant: 'firm' },
  ],
};
const holdoutExperiment: Experiment = {
  id: 'first-reminder-holdout',
  arms: [
    { id: 'control', weight: 50 },
    { id: 'holdout', weight: 50, holdout: true },
  ],
};
const reminderWith = (experiment: Experiment) => ({
  stepId: 'first-reminder',
  templateId: 'payment-reminder',
  purpose: 'service',
  channels: ['email', 'sms'],
  experiment,
  next: { afterHours: 168 },
});
const secondReminder = {
  stepId: 'second-reminder',
  templateId: 'payment-reminder',
  purpose: 'service',
  channels: ['email', 'sms'],
  tone: 'firm',
};

const customerOf = (id: string): CustomerProfile => ({
  id,
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1980-06-15',
  email: `${id}@example.nl`,
});
/** The first customer id the experiment puts in this arm. */
const customerInArm = (experiment: Experiment, arm: string) => {
  for (let i = 0; i < 200; i++)
    if (assignArm(experiment, `c-${i}`).arm.id === arm) return customerOf(`c-${i}`);
  throw new Error(`no customer in ${arm}`);
};

function setup(customer: CustomerProfile, whileSending?: () => Promise<void>) {
  const repository = new InMemoryRepository();
  repository.customers.set(customer.id, customer);
  const results = new InMemoryResults();
  results.addRun({
    customerId: customer.id,
    runId: 'run-1',
    journeyId: 'payment-reminder',
    startedAt: IN_WINDOW,
  });
  const { emails, sms, senders } = recordingSenders();
  const email = senders.email;
  if (whileSending) {
    senders.email = {
      async sendEmail(message) {
        await whileSending();
        return email.sendEmail(message);
      },
    };
  }
  let now = new Date(IN_WINDOW);
  const handler = makeHandler({
    ...stepTablePorts(repository, results),
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
  const call = (
    step: Record<string, unknown>,
    progress: StepProgress | StartProgress | null,
    deferredTo?: string,
  ) =>
    handler(
      {
        runId: 'run-1',
        journeyId: 'payment-reminder',
        customerId: customer.id,
        subject: invoice,
        step,
        journey: {
          progress,
          ...(deferredTo
            ? { deferral: { wake: { errorType: 'Klantreis.NotYet', errorMessage: deferredTo, trace: [] } } }
            : {}),
        },
      },
      lambdaContext,
    );
  /** One step as the journey runs it: a visit, and when its slot is later, the visit at that slot. */
  const visit = async (
    step: Record<string, unknown>,
    progress: StepProgress | StartProgress | null = null,
  ) => {
    try {
      return await call(step, progress);
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'Klantreis.NotYet') throw error;
      now = new Date(error.message);
      return call(step, progress, error.message);
    }
  };
  return {
    repository,
    results,
    emails,
    sms,
    visit,
    later: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

describe('the result events of a step visit', () => {
  it('counts the decision and the message in the customer’s arm, priced, and keeps the arm on the run', async () => {
    const customer = customerInArm(textExperiment, 'firm');
    const { results, emails, visit } = setup(customer);
    const progress = await visit(reminderWith(textExperiment));
    expect(progress.outcome).toBe('sent');
    expect(emails).toHaveLength(1);
    const arm = { experimentId: 'first-reminder-text', arm: 'firm' };
    expect(results.eventsOf('planned')).toEqual([
      expect.objectContaining({
        eventId: 'planned:run-1#first-reminder',
        dims: expect.objectContaining({
          stepId: 'first-reminder',
          channel: 'email',
          variant: 'firm',
          ...arm,
        }),
      }),
    ]);
    const [sent] = results.eventsOf('sent');
    expect(sent?.dims).toMatchObject({
      stepId: 'first-reminder',
      channel: 'email',
      variant: 'firm',
      locale: 'nl',
      ...arm,
    });
    expect(sent?.costMicroUsd?.delivery).toBe(100);
    expect(sent?.costMicroUsd?.orchestration).toBeGreaterThan(0);
    expect((await results.getRunResults(customer.id, 'run-1'))?.context).toMatchObject({
      experimentId: 'first-reminder-text',
      arm: 'firm',
      lastMessage: { stepId: 'first-reminder', channel: 'email', variant: 'firm' },
    });
  });

  it('counts a goal reached while the experiment step’s message goes out in the run’s arm', async () => {
    const customer = customerInArm(textExperiment, 'firm');
    // The customer pays the instant the reminder goes out: the exit event records the goal mid-send.
    const { results, emails, visit } = setup(customer, () =>
      recordRunOutcome(results, { customerId: customer.id, runId: 'run-1' }, 'goal-reached', IN_WINDOW, {
        goalEvent: 'invoice.paid',
      }).then(() => undefined),
    );
    // Woken at the start's planned slot: decided and sent in one visit, as the demo's first reminders are.
    const start = { action: 'start', wakeAt: IN_WINDOW } as const;
    expect((await visit(reminderWith(textExperiment), start)).outcome).toBe('sent');
    expect(emails).toHaveLength(1);
    expect(results.eventsOf('goalReached')).toEqual([
      expect.objectContaining({
        goalEvent: 'invoice.paid',
        dims: expect.objectContaining({
          stepId: 'run',
          segment: expect.not.stringMatching(/^none$/),
          experimentId: 'first-reminder-text',
          arm: 'firm',
        }),
      }),
    ]);
  });

  it('counts the SMS after an unread email under its own step, planned there: no step sends more than it planned', async () => {
    const customer = { ...customerOf('c-unread'), phone: '+31612345678' };
    const { results, emails, sms, visit, later } = setup(customer);
    const step = { ...secondReminder, stepId: 'first-reminder', followUpUnreadHours: 48 };
    const sent = await visit(step, { action: 'start', wakeAt: IN_WINDOW });
    later(48 * 3_600_000);
    await visit({ ...step, readCheck: true }, sent);
    expect([emails.length, sms.length]).toEqual([1, 1]);
    const count = (kind: 'planned' | 'sent') =>
      results.eventsOf(kind).map((e) => `${e.dims.stepId}/${e.dims.channel}`);
    expect(count('planned')).toEqual(['first-reminder/email', 'first-reminder-fallback/sms']);
    expect(count('sent')).toEqual(['first-reminder/email', 'first-reminder-fallback/sms']);
  });

  it('counts a holdout’s decision as held back, and the goal its run reaches later in the holdout arm', async () => {
    const customer = customerInArm(holdoutExperiment, 'holdout');
    const { repository, results, emails, visit, later } = setup(customer);
    const progress = await visit(reminderWith(holdoutExperiment));
    expect(emails).toHaveLength(0);
    expect(results.eventsOf('sent')).toEqual([]);
    expect(results.eventsOf('skipped')).toEqual([
      expect.objectContaining({
        reason: 'holdout',
        dims: expect.objectContaining({ arm: 'holdout', channel: 'none' }),
      }),
    ]);
    // Paid three days in: the next step's goal check ends the run.
    later(3 * DAY);
    await repository.putSubject({
      customerId: customer.id,
      subjectId: invoice.id,
      status: 'paid',
      updatedAt: new Date(Date.parse(IN_WINDOW) + 3 * DAY).toISOString(),
    });
    await visit(secondReminder, progress).catch((error: Error) =>
      expect(error.name).toBe('Klantreis.RunEnded'),
    );
    expect(results.eventsOf('goalReached')).toEqual([
      expect.objectContaining({
        eventId: 'goalReached:run-1',
        goalEvent: 'goal-check',
        goalDays: 3,
        dims: expect.objectContaining({
          stepId: 'run',
          channel: 'none',
          experimentId: 'first-reminder-holdout',
          arm: 'holdout',
        }),
      }),
    ]);
    expect((await results.getRunResults(customer.id, 'run-1'))?.outcome).toMatchObject({
      kind: 'goal-reached',
      daysToGoal: 3,
      lastMessage: null,
    });
  });

  it('sends as ever when the results cannot be recorded', async () => {
    const customer = customerOf('c-down');
    const { results, emails, visit } = setup(customer);
    results.failWith = Object.assign(new Error('down'), { name: 'InternalServerError' });
    const progress = await visit({ ...secondReminder, stepId: 'first-reminder' });
    expect(progress.outcome).toBe('sent');
    expect(emails).toHaveLength(1);
    expect(results.events).toEqual([]);
  });
});
