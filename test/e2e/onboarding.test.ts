import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi } from '#infra/local/demo.ts';
import { SES_SIMULATOR } from '#infra/local/feedback-loop.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import type { AccountSubject } from '#subjects/account.ts';
import {
  amsterdam,
  customerViews,
  refusingEmailTo,
  runsOf,
  smsLinkTargets,
  startE2eStack,
  startRuns,
} from '../fixtures/e2e.ts';

const activator: CustomerProfile = {
  ...amsterdam,
  id: 'onb-activator',
  name: { given: 'Lotte' },
  email: 'lotte@example.nl',
};
const newcomer: CustomerProfile = {
  ...amsterdam,
  id: 'onb-newcomer',
  name: { given: 'Emma' },
  locale: 'en-GB',
  email: 'emma@example.com',
};
// Opted out of service email: the welcome and the reminder go by SMS; the tip is email-only, so it is skipped.
const noEmail: CustomerProfile = {
  ...amsterdam,
  id: 'onb-no-email',
  name: { given: 'Sem' },
  email: 'sem@example.nl',
  phone: '+31612345681',
  consents: [
    { channel: 'email', purpose: 'service', granted: false, at: '2026-11-01T10:00:00Z', source: 'test' },
  ],
};
const unreachable: CustomerProfile = { ...amsterdam, id: 'onb-unreachable', name: { given: 'Noor' } };
// SES refuses every email to this address for good: each message goes to the supporting channel at once.
const refused: CustomerProfile = {
  ...amsterdam,
  id: 'onb-refused',
  name: { given: 'Daan' },
  email: 'refused@example.nl',
  phone: '+31612345682',
};
// The welcome hard-bounces (SES mailbox simulator): the address is suppressed, the reminder goes by SMS.
const bouncer: CustomerProfile = {
  ...amsterdam,
  id: 'onb-bouncer',
  name: { given: 'Fenna' },
  email: SES_SIMULATOR.bounce,
  phone: '+31612345683',
};
const customers = [activator, newcomer, noEmail, unreachable, refused, bouncer];

const accountOf = (customer: CustomerProfile): AccountSubject => ({
  type: 'account',
  id: `ACC-${customer.id}`,
  activationUrl: `https://portal.example.com/activate/${customer.id}`,
});

let stack: LocalStack;
let endedRuns: unknown;
const { readTimelines, timelineOf, sent, sentSteps, entriesOf, smsTo, executionOf, emailsTo } = customerViews(
  () => stack,
);
const handOversOf = (customer: CustomerProfile) =>
  stack.handOvers.events().filter((h) => h.customerId === customer.id);

beforeAll(async () => {
  stack = await startE2eStack({ faults: refusingEmailTo(refused.email) });
  // Held in the three-day wait, never released: the activation must end the run by itself.
  const activationWait = stack.engine.pauseAt('WaitForActivationReminder', runsOf(activator));
  await startRuns(stack, 'onboarding', customers, accountOf);
  await activationWait.reached(executionOf(activator));
  const activated = await callApi(stack, 'POST', `/customers/${activator.id}/events`, {
    type: 'portal.activated',
    subjectId: accountOf(activator).id,
  });
  expect(activated.status).toBe(202);
  expect(activated.body.endedRuns).toBe(1);
  endedRuns = activated.body.endedRuns;
  // Rejects while the activator's run is still held in the wait.
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('onboarding, end to end on the local runtime', () => {
  it('welcomes, reminds and gives a tip to the customer who never activates, in English, by email', async () => {
    expect(executionOf(newcomer).status).toBe('SUCCEEDED');
    expect(sentSteps(newcomer)).toEqual(['welcome/email', 'activation-reminder/email', 'tip/email']);
    const emails = await emailsTo(newcomer);
    expect(emails.map((e) => e.subject)).toEqual([
      'Welcome! Activate your customer portal',
      'Your customer portal is waiting for you',
      'Tip: choose how and when we send you messages',
    ]);
    for (const email of emails) expect(email.text).toContain(accountOf(newcomer).activationUrl);
    // Three days between welcome and reminder, four more before the tip: simulated time.
    const at = sent(newcomer).map((e) => Date.parse(e.at));
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(4 * 86_400_000);
  });

  it('costs two state transitions per message once the welcome has gone out (Task, Wait)', () => {
    expect(executionOf(newcomer).statesEntered).toEqual([
      // Started at 08:00 local, before the window opens at 09:00: the starter plans the first wake in it
      // (the welcome's slot), so the welcome sends on its first visit.
      ...['WaitForWelcome', 'Welcome'],
      ...['WaitForActivationReminder', 'ActivationReminder'],
      ...['WaitForTip', 'Tip'],
      // The hand-over ends the run itself: End, no Succeed state after it.
      ...['WaitForHandOverNoReaction', 'HandOverNoReaction'],
    ]);
  });

  it('hands the customer who still has not activated a week after the tip over to a person (no reaction)', () => {
    const [handOver, ...more] = handOversOf(newcomer);
    expect(more).toEqual([]);
    expect(handOver).toMatchObject({
      reason: 'no-reaction',
      journeyId: 'onboarding',
      subjectId: accountOf(newcomer).id,
      conversationUrl: expect.stringMatching(/\/customers\/onb-newcomer\/conversation$/),
    });
    const tip = entriesOf(newcomer, { kind: 'message', stepId: 'tip', outcome: 'sent' })[0];
    expect(Date.parse(handOver?.at ?? '') - Date.parse(tip?.at ?? '')).toBeGreaterThanOrEqual(7 * 86_400_000);
    const escalated = entriesOf(newcomer, { outcome: 'escalated' });
    expect(escalated.map((e) => e.summary)).toEqual(['onboarding: handed over to a person (no-reaction)']);
  });

  it('ends the run at once when the portal is activated mid-wait: no reminder, no tip', async () => {
    expect(executionOf(activator).status).toBe('ABORTED');
    expect(endedRuns).toBe(1);
    expect(sentSteps(activator)).toEqual(['welcome/email']);
    expect(await emailsTo(activator)).toHaveLength(1);
    const exits = timelineOf(activator).filter((e) => e.outcome === 'goal-reached');
    expect(exits).toEqual([
      expect.objectContaining({
        kind: 'journey',
        journeyId: 'onboarding',
        summary: expect.stringMatching(/portal\.activated/),
      }),
    ]);
    expect(handOversOf(activator)).toEqual([]);
  });

  it('uses SMS for the customer opted out of email, and skips the email-only tip with its reason', async () => {
    expect(executionOf(noEmail).status).toBe('SUCCEEDED');
    expect(await emailsTo(noEmail)).toHaveLength(0);
    const sms = stack.sms.messages().filter((m) => m.phoneNumber === noEmail.phone);
    expect(sms).toHaveLength(2);
    expect(await smsLinkTargets(stack, sms[0]?.message)).toContain(accountOf(noEmail).activationUrl);
    expect(sms[0]?.message).not.toContain('Sem');
    expect(sentSteps(noEmail)).toEqual(['welcome/sms', 'activation-reminder/sms']);
    const tip = timelineOf(noEmail).find((e) => e.stepId === 'tip' && e.outcome === 'skipped');
    expect(tip?.reasons?.join('\n')).toMatch(/email/);
    // Opted out of a channel is not opted out of the portal: still not activated, a person follows up.
    expect(handOversOf(noEmail).map((h) => h.reason)).toEqual(['no-reaction']);
  });

  it('sends the welcome and the reminder by SMS at once when SES refuses the email for good, with the reason', async () => {
    expect(executionOf(refused).status).toBe('SUCCEEDED');
    expect(sentSteps(refused)).toEqual(['welcome-fallback/sms', 'activation-reminder-fallback/sms']);
    const failed = entriesOf(refused, { kind: 'message', stepId: 'welcome', outcome: 'failed' })[0];
    expect(failed?.channel).toBe('email');
    expect(failed?.reasons?.join('\n')).toMatch(/refused by SES.*MessageRejected/);
    const fallback = entriesOf(refused, { kind: 'message', stepId: 'welcome-fallback', outcome: 'sent' })[0];
    // At once: in the window that is open, within the policy's spread (60 min), not days later.
    expect(Date.parse(fallback?.at ?? '') - Date.parse(failed?.at ?? '')).toBeLessThanOrEqual(60 * 60_000);
    const decision = entriesOf(refused, { kind: 'decision', stepId: 'welcome-fallback' })[0];
    expect(decision?.reasons?.[0]).toMatch(/MessageRejected/);
    const sms = smsTo(refused);
    expect(sms).toHaveLength(2);
    for (const message of sms) {
      expect(await smsLinkTargets(stack, message.message)).toContain(accountOf(refused).activationUrl);
    }
    // The tip is email-only: refused, with no supporting channel left, and recorded so.
    const tip = entriesOf(refused, { kind: 'message', stepId: 'tip', outcome: 'failed' })[0];
    expect(tip?.reasons).toContain('no supporting channel left');
  });

  it('reminds by SMS after the welcome email bounced: the address is suppressed, the reason recorded', async () => {
    expect(executionOf(bouncer).status).toBe('SUCCEEDED');
    expect(sentSteps(bouncer)).toEqual(['welcome/email', 'activation-reminder/sms']);
    expect(entriesOf(bouncer, { kind: 'delivery', outcome: 'bounced' })).toHaveLength(1);
    expect(await stack.repository.isSuppressed('email', SES_SIMULATOR.bounce)).toBe(true);
    const decision = entriesOf(bouncer, { kind: 'decision', stepId: 'activation-reminder' })[0];
    expect(decision?.channel).toBe('sms');
    expect(decision?.reasons?.join('\n')).toMatch(/email.*suppress/);
    expect(await smsLinkTargets(stack, smsTo(bouncer)[0]?.message)).toContain(
      accountOf(bouncer).activationUrl,
    );
    expect(await emailsTo(bouncer)).toHaveLength(1);
  });

  it('hands the unreachable customer over to a person, sending nothing', () => {
    expect(executionOf(unreachable).status).toBe('SUCCEEDED');
    expect(sentSteps(unreachable)).toEqual([]);
    const handOvers = stack.handOvers.events().filter((h) => h.customerId === unreachable.id);
    expect(handOvers).toEqual([
      expect.objectContaining({
        reason: 'unreachable',
        journeyId: 'onboarding',
        subjectId: accountOf(unreachable).id,
      }),
    ]);
    expect(handOversOf(unreachable)).toHaveLength(1);
    expect(timelineOf(unreachable).filter((e) => e.outcome === 'escalated')).toHaveLength(1);
  });

  it('refuses a subject of another type, naming the field', async () => {
    const response = await callApi(stack, 'POST', '/journeys/onboarding/runs', {
      customerId: newcomer.id,
      subject: {
        type: 'invoice',
        id: 'INV-1',
        amount: '10.00',
        currency: 'EUR',
        dueDate: '2026-12-01',
        payUrl: 'https://pay.example.com/i/INV-1',
      },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('subject.type');
  });
});
