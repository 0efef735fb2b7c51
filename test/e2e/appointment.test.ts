import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi } from '#infra/local/demo.ts';
import { SES_SIMULATOR } from '#infra/local/feedback-loop.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import type { AppointmentSubject } from '#subjects/appointment.ts';
import {
  amsterdam,
  customerViews,
  refusingEmailTo,
  runsOf,
  smsLinkTargets,
  startE2eStack,
  startRuns,
} from '../fixtures/e2e.ts';

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
// Moves the appointment after the reminder for the first time went out.
const lateMover: CustomerProfile = {
  ...amsterdam,
  id: 'apt-late-mover',
  name: { given: 'Bram' },
  email: 'bram@example.nl',
};
// Booked at 08:00 for 09:30 the same morning: no slot before the visit is left for a reminder.
const sameDay: CustomerProfile = {
  ...amsterdam,
  id: 'apt-same-day',
  name: { given: 'Julia' },
  email: 'julia@example.nl',
};
// SES refuses every email to this address for good: each message goes to the supporting channel.
const refused: CustomerProfile = {
  ...amsterdam,
  id: 'apt-refused',
  name: { given: 'Finn' },
  email: 'refused@example.nl',
  phone: '+31612345692',
};
// The confirmation hard-bounces (SES mailbox simulator): the address is suppressed, the reminder goes by SMS.
const bouncer: CustomerProfile = {
  ...amsterdam,
  id: 'apt-bouncer',
  name: { given: 'Mila' },
  email: SES_SIMULATOR.bounce,
  phone: '+31612345693',
};
const customers = [visitor, canceller, mover, noEmail, unreachable, lateMover, sameDay, refused, bouncer];

const VISIT = '2026-12-08T10:30:00+01:00';
const MOVED_TO = '2026-12-15T14:00:00+01:00';
const SAME_DAY = '2026-12-01T09:30:00+01:00';
const appointmentOf = (customer: CustomerProfile): AppointmentSubject => ({
  type: 'appointment',
  id: `APT-${customer.id}`,
  startsAt: customer === sameDay ? SAME_DAY : VISIT,
  locationName: 'Keuringsstation Utrecht',
  manageUrl: `https://portal.example.com/appointments/${customer.id}`,
  ...(customer === visitor ? { surveyUrl: `https://survey.example.com/s/${customer.id}` } : {}),
});

let stack: LocalStack;
const { readTimelines, timelineOf, sent, sentSteps, executionOf, entriesOf, smsTo, emailsTo } = customerViews(
  () => stack,
);
const localSendTimes = (customer: CustomerProfile) =>
  sent(customer).map((e) => DateTime.fromISO(e.at).setZone('Europe/Amsterdam'));
const event = (customer: CustomerProfile, body: Record<string, unknown>) =>
  callApi(stack, 'POST', `/customers/${customer.id}/events`, {
    subjectId: appointmentOf(customer).id,
    ...body,
  });

let cancelled: Awaited<ReturnType<typeof event>>;
let moved: Awaited<ReturnType<typeof event>>;
let movedLate: Awaited<ReturnType<typeof event>>;

beforeAll(async () => {
  stack = await startE2eStack({ faults: refusingEmailTo(refused.email) });
  // Held in the waits for the reminder and the survey: cancel and reschedule land inside them.
  const reminderWait = stack.engine.pauseAt('WaitForReminder', runsOf(canceller, mover));
  const followUpWait = stack.engine.pauseAt('WaitForFollowUp', runsOf(lateMover));
  await startRuns(stack, 'appointment', customers, appointmentOf);
  await Promise.all([canceller, mover].map((c) => reminderWait.reached(executionOf(c))));
  cancelled = await event(canceller, { type: 'appointment.cancelled' });
  moved = await event(mover, { type: 'appointment.rescheduled', data: { startsAt: MOVED_TO } });
  reminderWait.release();
  // After the reminder went out, waiting for the survey: the visit moves a week later.
  await followUpWait.reached(executionOf(lateMover));
  movedLate = await event(lateMover, { type: 'appointment.rescheduled', data: { startsAt: MOVED_TO } });
  followUpWait.release();
  await stack.engine.whenIdle();
  await readTimelines(customers);
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
    // The survey carries its own link, not the appointment page.
    expect(emails[2]?.text).toContain(appointmentOf(visitor).surveyUrl);
    expect(emails[2]?.html).toContain(`href="${appointmentOf(visitor).surveyUrl}"`);
    expect(emails[2]?.text).not.toContain(appointmentOf(visitor).manageUrl);
  });

  it('costs two state transitions per message (Task, Wait; the last Task ends the run)', () => {
    expect(executionOf(visitor).statesEntered).toEqual([
      'Confirmation',
      ...['WaitForReminder', 'Reminder'],
      ...['WaitForFollowUp', 'FollowUp'],
    ]);
  });

  it('ends the run at once when the appointment is cancelled mid-wait: no reminder, no survey', async () => {
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.endedRuns).toBe(1);
    expect(executionOf(canceller).status).toBe('ABORTED');
    expect(sentSteps(canceller)).toEqual(['confirmation/email']);
    expect(await emailsTo(canceller)).toHaveLength(1);
    const exits = timelineOf(canceller).filter((e) => e.outcome === 'goal-reached');
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

  it('reminds again for the new time when the appointment moves after the reminder went out, once per visit', async () => {
    expect(movedLate.status).toBe(202);
    expect(executionOf(lateMover).status).toBe('SUCCEEDED');
    expect(sentSteps(lateMover)).toEqual([
      'confirmation/email',
      'reminder/email',
      'reminder/email',
      'follow-up/email',
    ]);
    const [, first, second, survey] = localSendTimes(lateMover);
    expect(first?.toISODate()).toBe('2026-12-07');
    expect(second?.toISODate()).toBe('2026-12-14');
    expect((survey?.toMillis() ?? 0) >= Date.parse(MOVED_TO)).toBe(true);
    const reminders = (await emailsTo(lateMover)).slice(1, 3);
    expect(reminders[0]?.text).toContain('8 december 2026');
    expect(reminders[1]?.text).toContain('15 december 2026');
    expect(reminders[1]?.text).not.toContain('8 december 2026');
    const back = entriesOf(lateMover, { kind: 'decision', stepId: 'follow-up', outcome: 'skipped' });
    expect(back.map((e) => e.reasons?.[0])).toEqual([
      'the appointment moved after its reminder: first a reminder for the new time',
    ]);
  });

  it('skips the reminder with reason deadline when no slot is left before the visit, and still asks for feedback', () => {
    expect(executionOf(sameDay).status).toBe('SUCCEEDED');
    expect(sentSteps(sameDay)).toEqual(['confirmation/email', 'follow-up/email']);
    const reminder = entriesOf(sameDay, { kind: 'decision', stepId: 'reminder' })[0];
    expect(reminder?.outcome).toBe('skipped');
    expect(reminder?.summary).toBe('appointment/reminder: skipped, deadline');
    expect(reminder?.reasons?.join('\n')).toMatch(/not after Tue 2026-12-01 07:30 local/);
  });

  it('sends confirmation and reminder by SMS when SES refuses the email for good, with the reason', async () => {
    expect(executionOf(refused).status).toBe('SUCCEEDED');
    expect(sentSteps(refused)).toEqual(['confirmation-fallback/sms', 'reminder-fallback/sms']);
    const failed = entriesOf(refused, { kind: 'message', stepId: 'confirmation', outcome: 'failed' })[0];
    expect(failed?.reasons?.join('\n')).toMatch(/refused by SES.*MessageRejected/);
    const confirmed = entriesOf(refused, {
      kind: 'message',
      stepId: 'confirmation-fallback',
      outcome: 'sent',
    })[0];
    // Transactional: the supporting channel at once.
    expect(confirmed?.at).toBe(failed?.at);
    const sms = smsTo(refused);
    expect(sms).toHaveLength(2);
    expect(await smsLinkTargets(stack, sms[1]?.message)).toContain(appointmentOf(refused).manageUrl);
    // The survey is email-only: refused, no supporting channel left, recorded so.
    const survey = entriesOf(refused, { kind: 'message', stepId: 'follow-up', outcome: 'failed' })[0];
    expect(survey?.reasons).toContain('no supporting channel left');
  });

  it('reminds by SMS after the confirmation email bounced: the address is suppressed, the reason recorded', async () => {
    expect(executionOf(bouncer).status).toBe('SUCCEEDED');
    expect(sentSteps(bouncer)).toEqual(['confirmation/email', 'reminder/sms']);
    expect(entriesOf(bouncer, { kind: 'delivery', outcome: 'bounced' })).toHaveLength(1);
    const decision = entriesOf(bouncer, { kind: 'decision', stepId: 'reminder' })[0];
    expect(decision?.reasons?.join('\n')).toMatch(/email.*suppress/);
    expect(await smsLinkTargets(stack, smsTo(bouncer)[0]?.message)).toContain(
      appointmentOf(bouncer).manageUrl,
    );
    const survey = entriesOf(bouncer, { kind: 'decision', stepId: 'follow-up' })[0];
    expect(survey?.outcome).toBe('skipped');
  });

  it('uses SMS for the customer opted out of email, and skips the email-only survey with its reason', async () => {
    expect(executionOf(noEmail).status).toBe('SUCCEEDED');
    expect(await emailsTo(noEmail)).toHaveLength(0);
    expect(sentSteps(noEmail)).toEqual(['confirmation/sms', 'reminder/sms']);
    const sms = stack.sms.messages().filter((m) => m.phoneNumber === noEmail.phone);
    expect(sms).toHaveLength(2);
    expect(await smsLinkTargets(stack, sms[0]?.message)).toContain(appointmentOf(noEmail).manageUrl);
    expect(sms[0]?.message).not.toContain('Sem');
    const survey = timelineOf(noEmail).find((e) => e.stepId === 'follow-up' && e.outcome === 'skipped');
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
