/**
 * Contact pressure at its exact edges: a message sent exactly when the rolling window starts or
 * exactly now, two messages at the same instant, and a deferral's end, which must be the first
 * instant the cap lets the message through.
 */
import { describe, expect, it } from 'vitest';
import { contactPressureFor, type SentMessage } from '#core/contact-pressure.ts';
import type { Policy } from '#core/policy.ts';
import { testPolicy } from './test-policy.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-08T10:00:00.000Z');
/** Two emails per customer in seven days. */
const policy: Policy = { ...testPolicy, contactPressure: { days: 7, perChannel: { email: 2 } } };

const email = (ms: number): SentMessage => ({ at: new Date(ms).toISOString(), channel: 'email' });
const pressure = (sent: readonly SentMessage[], now = NOW, purpose: 'service' | 'marketing' = 'service') =>
  contactPressureFor({ policy, channel: 'email', purpose, sent, now: new Date(now) });

describe('contact pressure at the window’s edges', () => {
  it.each([
    ['exactly seven days ago (the window’s start is not in it)', NOW - 7 * DAY, 0],
    ['a millisecond later', NOW - 7 * DAY + 1, 1],
    ['exactly now', NOW, 1],
    ['a millisecond in the future', NOW + 1, 0],
  ])('counts an email sent %s: %i', (_name, at, counted) => {
    const outcome = pressure([email(at)]);
    expect(outcome).toEqual({
      kind: 'ok',
      reason: `contact pressure: ${counted} of 2 email messages in 7 days`,
    });
  });

  it('counts two emails sent at the same instant as two', () => {
    const sameInstant = NOW - DAY;
    const outcome = pressure([email(sameInstant), email(sameInstant)]);
    expect(outcome.kind).toBe('defer');
    // Both leave the window together: room again seven days after that instant.
    expect(outcome.kind === 'defer' && outcome.until).toBe(sameInstant + 7 * DAY);
  });

  it('defers a capped service message to the first instant the cap lets it through, and not a millisecond less', () => {
    const sent = [email(NOW - 3 * DAY), email(NOW - 2 * DAY)];
    const outcome = pressure(sent);
    if (outcome.kind !== 'defer') throw new Error(`expected a deferral, got ${outcome.kind}`);
    expect(outcome.until).toBe(NOW - 3 * DAY + 7 * DAY);
    expect(pressure(sent, outcome.until).kind).toBe('ok');
    expect(pressure(sent, outcome.until - 1).kind).toBe('defer');
  });

  it('drops a capped marketing message at the edge too, and lets it through once the oldest leaves', () => {
    const sent = [email(NOW - 7 * DAY + 1), email(NOW)];
    expect(pressure(sent, NOW, 'marketing').kind).toBe('drop');
    expect(pressure(sent, NOW + 1, 'marketing').kind).toBe('ok');
  });
});
