import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { BUSY_TRIES_PER_CHANNEL } from '#core/journey-step-run.ts';
import { driveStep, type Fault, progressBefore, stepWorld, type Visit } from '../../fixtures/step-visits.ts';

const MINUTE = 60_000;
// Tuesday 1 December 2026, 09:32 in Amsterdam: inside every segment's window but the senior's.
const SLOT = new Date('2026-12-01T08:32:00Z');

const adult: CustomerProfile = {
  id: 'c-adult',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1980-06-15',
  email: 'adult@example.nl',
  phone: '+31612345678',
};
const young: CustomerProfile = { ...adult, id: 'c-young', birthDate: '2001-03-10' };
const start = { action: 'start', wakeAt: SLOT.toISOString() } as const;
const always = (fault: Fault, n = 40): Fault[] => Array.from({ length: n }, () => fault);

const outcomeOf = (visits: Visit[]) => visits.at(-1);
const waits = (visits: Visit[]) => visits.filter((v) => v.state === 'waiting');

describe('a send the provider refuses for now', () => {
  it('throttled on its first two calls: goes out on the third visit, minutes after its slot, not days', async () => {
    const world = stepWorld({ customer: young, faults: { sms: ['throttled', 'throttled'] } });
    const visits = await driveStep(world, 'FirstReminder', young, start, SLOT);
    const last = outcomeOf(visits);
    expect(last).toMatchObject({ state: 'done', progress: { outcome: 'sent', channel: 'sms' } });
    expect(visits).toHaveLength(3);
    // Each deferral wakes within the busy bound, and the SMS goes out within two of them.
    for (const wait of waits(visits)) {
      if (wait.state !== 'waiting') continue;
      expect(wait.wake.getTime() - wait.at.getTime()).toBeLessThanOrEqual(15 * MINUTE);
    }
    expect((last?.at.getTime() ?? 0) - SLOT.getTime()).toBeLessThanOrEqual(30 * MINUTE);
  });

  it('unavailable (503) on every try of the email: defers a few times, then sends the SMS; nobody is handed over', async () => {
    const world = stepWorld({ customer: adult, faults: { email: always('unavailable') } });
    const visits = await driveStep(world, 'FirstReminder', adult, start, SLOT);
    expect(outcomeOf(visits)).toMatchObject({ state: 'done', progress: { outcome: 'sent', channel: 'sms' } });
    expect(world.handOvers).toEqual([]);
    expect(waits(visits)).toHaveLength(BUSY_TRIES_PER_CHANNEL - 1);
    expect(world.calls.map((c) => `${c.channel} ${c.fault}`)).toEqual([
      ...Array.from({ length: BUSY_TRIES_PER_CHANNEL }, () => 'email unavailable'),
      'sms ok',
    ]);
    // The conversation says why the SMS went: the email provider stayed unavailable.
    const decision = world.repository.timeline.find(
      (e) => e.kind === 'decision' && e.stepId === 'first-reminder-fallback',
    );
    expect(decision?.reasons?.[0]).toMatch(/email provider busy/);
  });

  it('throttled for ever on the email: a bounded number of visits, then the SMS', async () => {
    const world = stepWorld({ customer: adult, faults: { email: always('throttled', 500) } });
    const visits = await driveStep(world, 'FirstReminder', adult, start, SLOT);
    expect(outcomeOf(visits)).toMatchObject({ state: 'done', progress: { outcome: 'sent', channel: 'sms' } });
    expect(visits.length).toBeLessThanOrEqual(BUSY_TRIES_PER_CHANNEL + 1);
  });

  it('unavailable on both channels: tries the SMS too, then hands over (failed) once no channel is left', async () => {
    const world = stepWorld({
      customer: adult,
      faults: { email: always('unavailable'), sms: always('unavailable') },
    });
    const visits = await driveStep(world, 'FirstReminder', adult, start, SLOT);
    expect(outcomeOf(visits)).toMatchObject({
      state: 'done',
      ended: 'Klantreis.ProviderUnavailable',
      progress: { outcome: 'handed-over', handOver: 'failed' },
    });
    expect(world.calls.filter((c) => c.channel === 'email')).toHaveLength(BUSY_TRIES_PER_CHANNEL);
    expect(world.calls.filter((c) => c.channel === 'sms').length).toBeGreaterThanOrEqual(
      BUSY_TRIES_PER_CHANNEL,
    );
    expect(world.handOvers.map((h) => h.reason)).toEqual(['failed']);
  });

  it('unavailable on the only channel the customer has: hands over (failed) after a few visits', async () => {
    const emailOnly = { ...adult, id: 'c-email-only', phone: undefined };
    const world = stepWorld({ customer: emailOnly, faults: { email: always('unavailable') } });
    const visits = await driveStep(world, 'FirstReminder', emailOnly, start, SLOT);
    expect(outcomeOf(visits)).toMatchObject({ progress: { outcome: 'handed-over', handOver: 'failed' } });
    expect(waits(visits)).toHaveLength(BUSY_TRIES_PER_CHANNEL - 1);
    expect(world.calls.every((c) => c.channel === 'email')).toBe(true);
  });
});

describe('the read check’s supporting channel, its provider unavailable for good', () => {
  it('moves on from the email that went out (unread), saying the SMS was not sent; nobody is handed over', async () => {
    const world = stepWorld({ customer: adult, faults: { sms: always('unavailable') } });
    const sentAt = new Date(SLOT.getTime() - 48 * 3_600_000);
    await world.repository.completeSend(adult.id, {
      key: 'run-1#first-reminder',
      status: 'sent',
      channel: 'email',
      providerMessageId: 'ses-1',
      at: sentAt.toISOString(),
      fallback: 'sms',
      deliveryStatus: 'delivered',
    });
    const progress = {
      ...progressBefore(adult, sentAt, 'email'),
      pending: 'follow-up' as const,
      wakeAt: SLOT.toISOString(),
    };
    const visits = await driveStep(world, 'FirstReminderUnread', adult, progress, SLOT);
    expect(outcomeOf(visits)).toMatchObject({
      state: 'done',
      progress: { action: 'next', outcome: 'sent', sentChannel: 'email', channel: null },
    });
    const done = outcomeOf(visits);
    expect(done?.state === 'done' && done.progress?.reasons.join(' ')).toMatch(/sms provider busy/);
    expect(world.handOvers).toEqual([]);
    expect(world.calls.filter((c) => c.channel === 'sms')).toHaveLength(2 * BUSY_TRIES_PER_CHANNEL);
  });
});

describe('a refusal for good', () => {
  it('of the firmer reminder (sent on the supporting channel) takes the channel it turned away from', async () => {
    // The first reminder went by email; the firmer one goes by SMS on purpose, which SNS refuses.
    const world = stepWorld({ customer: adult, faults: { sms: ['refused'] } });
    const visits = await driveStep(
      world,
      'SecondReminder',
      adult,
      progressBefore(adult, SLOT, 'email'),
      SLOT,
    );
    expect(outcomeOf(visits)).toMatchObject({
      state: 'done',
      progress: { outcome: 'sent', channel: 'email' },
    });
    expect(world.calls.map((c) => `${c.channel} ${c.fault}`)).toEqual(['sms refused', 'email ok']);
    const messages = world.repository.timeline.filter((e) => e.kind === 'message');
    expect(messages.map((e) => [e.stepId, e.channel, e.outcome])).toEqual([
      ['second-reminder', 'sms', 'failed'],
      ['second-reminder-fallback', 'email', 'sent'],
    ]);
  });

  it('of the final notice takes its supporting channel (the customer’s order)', async () => {
    const world = stepWorld({ customer: adult, faults: { email: ['refused'] } });
    const visits = await driveStep(world, 'FinalNotice', adult, progressBefore(adult, SLOT, 'sms'), SLOT);
    expect(outcomeOf(visits)).toMatchObject({ progress: { outcome: 'sent', channel: 'sms' } });
  });
});
