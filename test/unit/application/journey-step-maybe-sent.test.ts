import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { driveStep, progressBefore, stepWorld } from '../../fixtures/step-visits.ts';

const MINUTE = 60_000;
// Tuesday 1 December 2026, 19:55 in Amsterdam: five minutes before the young customer's window
// (weekdays 09:00–20:00) closes, so the send's 15-minute bound falls at 20:10, outside it.
const LATE_SLOT = new Date('2026-12-01T18:55:00Z');
const BOUND = new Date(LATE_SLOT.getTime() + 15 * MINUTE);
// The next morning's window opens at 09:00 Amsterdam.
const NEXT_WINDOW = new Date('2026-12-02T08:00:00Z');

const young: CustomerProfile = {
  id: 'c-young',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '2001-03-10',
  email: 'young@example.nl',
};
// The final notice after the second reminder's email: sent by email, its next step 168 hours later.
const before = progressBefore(young, new Date('2026-11-24T09:00:00Z'), 'email');

describe('a step whose email may have been sent, its bound after the window closed', () => {
  it('linked by SES’s event meanwhile: moves on at the bound, from the 19:55 message, sending nothing more', async () => {
    const world = stepWorld({ customer: young, faults: { email: ['answer-lost-late'] } });
    const visits = await driveStep(world, 'FinalNotice', young, before, LATE_SLOT);

    expect(visits.map((v) => [v.at.toISOString(), v.state])).toEqual([
      [LATE_SLOT.toISOString(), 'waiting'],
      [BOUND.toISOString(), 'done'],
    ]);
    expect(world.calls.map((c) => `${c.channel} ${c.fault}`)).toEqual(['email answer-lost-late']);
    const progress = visits.at(-1)?.state === 'done' ? visits.at(-1) : undefined;
    expect(progress).toMatchObject({
      progress: {
        action: 'next',
        outcome: 'sent',
        channel: 'email',
        sentAt: LATE_SLOT.toISOString(),
        lastMessage: { stepId: 'final-notice', channel: 'email', at: LATE_SLOT.toISOString() },
        // 168 hours after the 19:55 message: Tuesday 8 December 19:55, inside the window.
        wakeAt: '2026-12-08T18:55:00.000Z',
      },
    });
    // The conversation says the message went out at 19:55, no longer "may have been sent".
    const messages = world.repository.timeline.filter((e) => e.kind === 'message');
    expect(messages).toEqual([
      expect.objectContaining({
        at: LATE_SLOT.toISOString(),
        outcome: 'sent',
        channel: 'email',
        // As the email was written (the entry is rewritten whole): its locale and tone kept.
        locale: 'nl',
        tone: 'firm',
        providerMessageId: 'email-1',
      }),
    ]);
  });

  it('no event by the bound: sends it again once, in the next window, and moves on from that message', async () => {
    const world = stepWorld({ customer: young, faults: { email: ['no-answer'] } });
    const visits = await driveStep(world, 'FinalNotice', young, before, LATE_SLOT);

    expect(visits.map((v) => v.state)).toEqual(['waiting', 'waiting', 'done']);
    expect(visits[1]?.at).toEqual(BOUND);
    const resent = visits[2];
    expect(resent?.at.getTime()).toBeGreaterThanOrEqual(NEXT_WINDOW.getTime());
    expect(resent?.at.getTime()).toBeLessThan(NEXT_WINDOW.getTime() + 2 * 60 * MINUTE);
    expect(world.calls.map((c) => `${c.channel} ${c.fault}`)).toEqual(['email no-answer', 'email ok']);
    expect(resent).toMatchObject({
      state: 'done',
      progress: { outcome: 'sent', channel: 'email', sentAt: resent?.at.toISOString() },
    });
  });

  it('linked by a late event after the bound, before the next window: done as of 19:55 at that visit, nothing re-sent', async () => {
    const world = stepWorld({
      customer: young,
      faults: { email: ['answer-lost-late'] },
      lateEventMs: 35 * MINUTE,
    });
    const visits = await driveStep(world, 'FinalNotice', young, before, LATE_SLOT);

    expect(visits.map((v) => v.state)).toEqual(['waiting', 'waiting', 'done']);
    expect(world.calls.map((c) => `${c.channel} ${c.fault}`)).toEqual(['email answer-lost-late']);
    expect(visits.at(-1)).toMatchObject({
      progress: { outcome: 'sent', sentAt: LATE_SLOT.toISOString(), wakeAt: '2026-12-08T18:55:00.000Z' },
    });
  });

  it('its supporting email, after an SMS no event can name: linked, the step moves on at its bound from that email', async () => {
    const withPhone: CustomerProfile = { ...young, phone: '+31612345678' };
    const world = stepWorld({
      customer: withPhone,
      faults: { sms: ['no-answer'], email: ['answer-lost-late'] },
    });
    // 19:40: the SMS (the young customer's first channel) gets no answer; at its bound, 19:55, the email goes.
    const smsAt = new Date(LATE_SLOT.getTime() - 15 * MINUTE);
    const visits = await driveStep(world, 'FinalNotice', withPhone, before, smsAt);

    expect(visits.map((v) => [v.at.toISOString(), v.state])).toEqual([
      [smsAt.toISOString(), 'waiting'],
      [LATE_SLOT.toISOString(), 'waiting'],
      [BOUND.toISOString(), 'done'],
    ]);
    expect(world.calls.map((c) => `${c.channel} ${c.fault}`)).toEqual([
      'sms no-answer',
      'email answer-lost-late',
    ]);
    expect(visits.at(-1)).toMatchObject({
      progress: {
        outcome: 'sent',
        channel: 'email',
        lastMessage: { stepId: 'final-notice-fallback', channel: 'email', at: LATE_SLOT.toISOString() },
        wakeAt: '2026-12-08T18:55:00.000Z',
      },
    });
    const email = world.repository.timeline.find((e) => e.kind === 'message' && e.channel === 'email');
    expect(email).toMatchObject({
      stepId: 'final-notice-fallback',
      at: LATE_SLOT.toISOString(),
      outcome: 'sent',
    });
  });
});
