import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const MINUTE = 60_000;

// Under 35: the young-digital segment, SMS first, weekdays 09:00–20:00. SNS throttles her first two SMS.
const young: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-young',
  birthDate: '2001-03-10',
  name: { given: 'Lotte' },
  email: 'lotte@example.nl',
  phone: '+31612345679',
};
// SES answers every email to her address with 503 (unavailable): the provider never recovers.
const outage: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-ses-outage',
  name: { given: 'Ruud' },
  email: 'ruud@example.nl',
  phone: '+31612345678',
};
// Reads the first reminder's email; the firmer reminder goes by SMS on purpose, which SNS refuses for good.
const smsRefused: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-sms-refused',
  name: { given: 'Anouk' },
  email: 'anouk@example.nl',
  phone: '+31612345677',
};
// Both providers unavailable for her, for good: no channel is left.
const bothDown: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-both-down',
  name: { given: 'Kees' },
  email: 'kees@example.nl',
  phone: '+31612345676',
};
const customers = [young, outage, smsRefused, bothDown];

let stack: LocalStack;
const { readTimelines, entriesOf, sentSteps, executionOf, smsTo } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack({
    emailOpeners: [smsRefused.email as string],
    faults: [
      `sms:throttle:to=${young.phone}:first=2`,
      `email:unavailable:to=${outage.email}`,
      `sms:refuse:to=${smsRefused.phone}`,
      `email:unavailable:to=${bothDown.email}`,
      `sms:unavailable:to=${bothDown.phone}`,
    ].join(','),
  });
  await seedCustomers(stack, customers);
  for (const [i, customer] of customers.entries()) {
    const started = await startPaymentReminder(stack, customer.id, demoInvoice(customer, i, simulationStart));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a send the provider refuses for now, end to end on the local runtime', () => {
  it('throttled twice: the SMS goes out in the window minutes after its first wake, not days later', () => {
    const decision = entriesOf(young, { kind: 'decision', stepId: 'first-reminder' })[0];
    // Started Tuesday 1 December 08:00 local: the first wake is her slot in the window, 09:00 plus her spread.
    expect(decision?.summary).toMatch(/sms at 2026-12-01T09:\d\d/);
    const firstWake = Date.parse(decision?.at ?? '');
    const sent = entriesOf(young, { kind: 'message', stepId: 'first-reminder', outcome: 'sent' });
    expect(sent.map((e) => e.channel)).toEqual(['sms']);
    const sentAt = Date.parse(sent[0]?.at ?? '');
    // Two deferrals of at most 15 minutes each.
    expect(sentAt - firstWake).toBeGreaterThanOrEqual(2 * MINUTE);
    expect(sentAt - firstWake).toBeLessThanOrEqual(30 * MINUTE);
    expect(stack.faults.injected().filter((f) => f.kind === 'throttle')).toHaveLength(2);
    const states = executionOf(young).statesEntered;
    expect(states.filter((s) => s === 'WaitAgainFirstReminder')).toHaveLength(2);
    expect(executionOf(young).status).toBe('SUCCEEDED');
  });

  it('unavailable on every email: each reminder goes by SMS after a few deferrals, and no step fails', () => {
    // The firmer reminder turns to email on purpose (the first went by SMS), and falls back to SMS too.
    expect(sentSteps(outage)).toEqual([
      'first-reminder-fallback/sms',
      'second-reminder-fallback/sms',
      'final-notice-fallback/sms',
    ]);
    expect(smsTo(outage)).toHaveLength(3);
    const execution = executionOf(outage);
    expect(execution.statesEntered).not.toContain('HandOverFailed');
    expect(execution.status).toBe('SUCCEEDED');
    const fallback = entriesOf(outage, { kind: 'decision', stepId: 'first-reminder-fallback' })[0];
    expect(fallback?.reasons?.[0]).toMatch(/email provider busy/);
    // A person takes over for the reason the journey gives at its end, not because sending failed.
    const handOvers = stack.handOvers.events().filter((h) => h.customerId === outage.id);
    expect(handOvers.map((h) => h.reason)).toEqual(['no-reaction']);
  });
});

describe('no channel left, end to end on the local runtime', () => {
  it('both providers unavailable: tries email, then SMS, then a person takes over (failed) and the run fails', () => {
    const injected = stack.faults
      .injected()
      .filter((f) => f.to === bothDown.email || f.to === bothDown.phone);
    expect(injected.filter((f) => f.channel === 'email').length).toBeGreaterThanOrEqual(3);
    expect(injected.filter((f) => f.channel === 'sms').length).toBeGreaterThanOrEqual(3);
    expect(sentSteps(bothDown)).toEqual([]);
    const execution = executionOf(bothDown);
    expect(execution.statesEntered).toContain('HandOverFailed');
    expect(execution.status).toBe('FAILED');
    const handOvers = stack.handOvers.events().filter((h) => h.customerId === bothDown.id);
    expect(handOvers.map((h) => h.reason)).toEqual(['failed']);
  });
});

describe('a refusal for good, end to end on the local runtime', () => {
  it('of the firmer reminder on its supporting channel: the same reminder by email, as the README promises', () => {
    expect(sentSteps(smsRefused)).toEqual([
      'first-reminder/email',
      'second-reminder-fallback/email',
      'final-notice/email',
    ]);
    const refused = entriesOf(smsRefused, { kind: 'message', stepId: 'second-reminder' });
    expect(refused.map((e) => [e.channel, e.outcome])).toEqual([['sms', 'failed']]);
    expect(refused[0]?.reasons?.join(' ')).toMatch(/fallback: email/);
  });
});
