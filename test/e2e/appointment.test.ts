import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { AppointmentSubject } from '#core/journey-step.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { callApi, seedCustomers, waitForMessage } from '#infra/local/demo.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import { type LocalStack, startLocalStack } from '#infra/local/runtime.ts';
import { amsterdam, simulationStart, waitForState } from '../fixtures/e2e.ts';

// Real time the wait for the reminder's slot takes: cancel and reschedule land inside it.
const REMINDER_WAIT_MS = 1_500;

const visitor: CustomerProfile = {
  ...amsterdam,
  id: 'apt-visitor',
  name: { given: 'Emma' },
  email: 'emma@example.nl',
};
const canceller: CustomerProfile = {
  ...amsterdam,
  id: 'apt-canceller',
  name: { given: 'Lotte' },
  email: 'lotte@example.nl',
};
const mover: CustomerProfile = {
  ...amsterdam,
  id: 'apt-mover',
  name: { given: 'Daan' },
  locale: 'en-GB',
  email: 'daan@example.com',
};
// Opted out of email: the confirmation and the reminder go by SMS; the survey is email-only, so it is skipped.
const noEmail: CustomerProfile = {
  ...amsterdam,
  id: 'apt-no-email',
  name: { given: 'Sem' },
  email: 'sem@example.nl',
  phone: '+31612345691',
  consents: (['transactional', 'service'] as const).map((purpose) => ({
    channel: 'email' as const,
    purpose,
    granted: false,
    at: '2026-11-01T10:00:00Z',
    source: 'test',
  })),
};
const unreachable: CustomerProfile = { ...amsterdam, id: 'apt-unreachable', name: { given: 'Noor' } };
const customers = [visitor, canceller, mover, noEmail, unreachable];

const VISIT = '2026-12-08T10:30:00+01:00';
const MOVED_TO = '2026-12-15T14:00:00+01:00';
const appointmentOf = (customer: CustomerProfile): AppointmentSubject => ({
  type: 'appointment',
  id: `APT-${customer.id}`,
  startsAt: VISIT,
  locationName: 'Keuringsstation Utrecht',
  manageUrl: `https://portal.example.com/appointments/${customer.id}`,
});

let stack: LocalStack;
const timelines = new Map<string, TimelineEntry[]>();
const sent = (customer: CustomerProfile) =>
  (timelines.get(customer.id) ?? []).filter((e) => e.kind === 'message' && e.outcome === 'sent').reverse();
const sentSteps = (customer: CustomerProfile) => sent(customer).map((e) => `${e.stepId}/${e.channel}`);
const localSendTimes = (customer: CustomerProfile) =>
  sent(customer).map((e) => DateTime.fromISO(e.at).setZone('Europe/Amsterdam'));
const executionOf = (customer: CustomerProfile) =>
  stack.engine.listExecutions().find((e) => JSON.parse(e.input).customerId === customer.id) as LocalExecution;
const emailsTo = async (customer: CustomerProfile) =>
  (await stack.ses.listEmails()).filter((e) => e.to.includes(customer.email as string));
const event = (customer: CustomerProfile, body: Record<string, unknown>) =>
  callApi(stack, 'POST', `/customers/${customer.id}/events`, {
    subjectId: appointmentOf(customer).id,
    ...body,
  });

/** Waits (real time, bounded) until the execution is in the named state. */
let cancelled: Awaited<ReturnType<typeof event>>;
let moved: Awaited<ReturnType<typeof event>>;

beforeAll(async () => {
  stack = await startLocalStack({
    ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0 },
    simulationStart,
    waitDelaysMs: { WaitForReminderSlot: REMINDER_WAIT_MS, WaitForFollowUp: 200 },
  });
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    const started = await callApi(stack, 'POST', '/journeys/appointment/runs', {
      customerId: customer.id,
      subject: appointmentOf(customer),
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await Promise.all([canceller, mover].map((c) => waitForMessage(stack, c.id, 'confirmation')));
  await Promise.all([canceller, mover].map((c) => waitForState(executionOf(c), 'WaitForReminderSlot')));
  cancelled = await event(canceller, { type: 'appointment.cancelled' });
  moved = await event(mover, { type: 'appointment.rescheduled', data: { startsAt: MOVED_TO } });
  await stack.engine.whenIdle();
  for (const customer of customers)
    timelines.set(customer.id, await stack.repository.listTimeline(customer.id, 100));
});

afterAll(async () => {
  await stack?.stop();
});

describe('appointment, end to end on the local runtime', () => {
  it('confirms at once, reminds the day before in the window, asks for feedback after the visit', async () => {
    expect(executionOf(visitor).status).toBe('SUCCEEDED');
    expect(sentSteps(visitor)).toEqual(['confirmation/email', 'reminder/email', 'follow-up/email']);
    const [confirmed, reminded, followedUp] = localSendTimes(visitor);
    expect(confirmed?.toISODate()).toBe('2026-12-01');
    expect(reminded?.toISODate()).toBe('2026-12-07');
    expect(reminded?.hour).toBeGreaterThanOrEqual(8);
    expect(reminded?.hour).toBeLessThan(21);
    expect((followedUp?.toMillis() ?? 0) >= Date.parse(VISIT)).toBe(true);
    const emails = await emailsTo(visitor);
    expect(emails).toHaveLength(3);
    for (const email of emails.slice(0, 2)) {
      expect(email.text).toContain('Keuringsstation Utrecht');
      expect(email.text).toContain('8 december 2026');
      expect(email.text).toContain(appointmentOf(visitor).manageUrl);
    }
  });

  it('ends the run at once when the appointment is cancelled mid-wait: no reminder, no survey', async () => {
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.endedRuns).toBe(1);
    expect(executionOf(canceller).status).toBe('ABORTED');
    expect(sentSteps(canceller)).toEqual(['confirmation/email']);
    expect(await emailsTo(canceller)).toHaveLength(1);
    const exits = (timelines.get(canceller.id) ?? []).filter((e) => e.outcome === 'goal-reached');
    expect(exits.map((e) => e.summary)).toEqual([expect.stringMatching(/appointment\.cancelled/)]);
  });

  it('moves the reminder and the survey when the appointment is rescheduled, and names the new time', async () => {
    expect(moved.status).toBe(202);
    expect(moved.body.endedRuns).toBe(0);
    expect(executionOf(mover).status).toBe('SUCCEEDED');
    expect(sentSteps(mover)).toEqual(['confirmation/email', 'reminder/email', 'follow-up/email']);
    const [, reminded, followedUp] = localSendTimes(mover);
    expect(reminded?.toISODate()).toBe('2026-12-14');
    expect((followedUp?.toMillis() ?? 0) >= Date.parse(MOVED_TO)).toBe(true);
    const reminder = (await emailsTo(mover))[1];
    expect(reminder?.text).toContain('15 December 2026');
    expect(reminder?.text).not.toContain('8 December 2026');
  });

  it('uses SMS for the customer opted out of email, and skips the email-only survey with its reason', async () => {
    expect(executionOf(noEmail).status).toBe('SUCCEEDED');
    expect(await emailsTo(noEmail)).toHaveLength(0);
    expect(sentSteps(noEmail)).toEqual(['confirmation/sms', 'reminder/sms']);
    const sms = stack.sms.messages().filter((m) => m.phoneNumber === noEmail.phone);
    expect(sms).toHaveLength(2);
    expect(sms[0]?.message).toContain(appointmentOf(noEmail).manageUrl);
    expect(sms[0]?.message).not.toContain('Sem');
    const survey = (timelines.get(noEmail.id) ?? []).find(
      (e) => e.stepId === 'follow-up' && e.outcome === 'skipped',
    );
    expect(survey?.reasons?.join('\n')).toMatch(/email/);
  });

  it('hands the unreachable customer over to a person, sending nothing', () => {
    expect(executionOf(unreachable).status).toBe('SUCCEEDED');
    expect(sentSteps(unreachable)).toEqual([]);
    expect(stack.handOvers.events()).toEqual([
      expect.objectContaining({
        customerId: unreachable.id,
        reason: 'unreachable',
        journeyId: 'appointment',
        subjectId: appointmentOf(unreachable).id,
      }),
    ]);
  });

  it('refuses a reschedule without the new start, naming the field', async () => {
    const response = await event(visitor, { type: 'appointment.rescheduled' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('data.startsAt');
  });
});
