import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { addressOf, BUSY_TRIES_PER_CHANNEL } from '#core/journey-step-run.ts';
import {
  driveStep,
  type Fault,
  type PaymentReminderTask,
  paymentReminderTasks,
  progressBefore,
  stepWorld,
  type Visit,
} from '../fixtures/step-visits.ts';

/** Enough cases to meet every mix of faults, windows and channels; the whole file stays within a few seconds. */
const RUNS = 400;
const MINUTE = 60_000;
/** The longest a busy deferral waits (`busyWakeAt`). */
const BUSY_MAX_MS = 15 * MINUTE;
/**
 * Task visits a step may take: the provider's refusals for now on both channels, each possibly finding
 * the window closed (one slot deferral each), the first slot and the supporting channel's, and the
 * Task's Retry attempts of a refusal that reaches the journey once no channel is left.
 */
const MAX_VISITS = 2 * BUSY_TRIES_PER_CHANNEL * 2 + 2 + 6 + 1;

const fault = fc.constantFrom<Fault>(
  'ok',
  'throttled',
  'unavailable',
  'refused',
  'no-answer',
  'answer-lost',
  'answer-lost-late',
);
const lost = (f: Fault) => f === 'answer-lost' || f === 'answer-lost-late';

/** Customers of every age band (the segments' windows differ), in four zones, reachable by email, SMS, both or neither. */
const customerArb: fc.Arbitrary<CustomerProfile> = fc
  .record({
    id: fc.stringMatching(/^c-[a-z0-9]{1,10}$/),
    birthDate: fc.constantFrom('2001-03-10', '1980-06-15', '1950-01-01'),
    timezone: fc.constantFrom('Europe/Amsterdam', 'Europe/London', 'America/New_York', 'Asia/Tokyo'),
    email: fc.option(fc.constant('klant@example.nl'), { nil: undefined }),
    phone: fc.option(fc.constant('+31612345678'), { nil: undefined }),
  })
  .map(({ email, phone, ...rest }) => ({
    ...rest,
    locale: 'nl-NL',
    country: 'NL',
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  }));

const caseArb = fc.record({
  customer: customerArb,
  task: fc.constantFrom<PaymentReminderTask>(...paymentReminderTasks, 'FirstReminderUnread'),
  previous: fc.constantFrom<Channel | null>('email', 'sms', null),
  /** Any minute of December 2026: nights, weekends and the Christmas holidays included. */
  start: fc.integer({ min: Date.parse('2026-12-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
  email: fc.array(fault, { maxLength: 8 }),
  sms: fc.array(fault, { maxLength: 8 }),
  /** What the provider does once its script is spent: for ever. */
  afterwards: fault,
});

/** The visits' Task invocations, with the reason a visit fails the rule (none: it holds). */
function broken(visits: Visit[], customer: CustomerProfile, channels: Channel[]): string | null {
  const last = visits.at(-1);
  if (last?.state !== 'done') return `not done after ${visits.length} visits`;
  for (const [i, visit] of visits.entries()) {
    const next = visits[i + 1];
    const maybeSent = visit.calls.at(-1);
    // An email of the step (its own, or its supporting channel's) whose answer was lost, linked by
    // SES's event (a minute later) before its bound: the visit at the bound moves on from it, whatever
    // the window says then.
    if (
      visit.state === 'waiting' &&
      maybeSent?.fault === 'answer-lost-late' &&
      maybeSent.channel === 'email'
    ) {
      if (next?.state !== 'done' || next.calls.length > 0) {
        return `visit ${i + 1}: a linked maybe-sent email waits for another slot or sends again`;
      }
      const from = next?.state === 'done' ? next.progress?.lastMessage?.at : undefined;
      if (from !== undefined && from !== maybeSent.at.toISOString()) {
        return `visit ${i + 1}: a linked maybe-sent email moves on from ${from}, not from when it went out`;
      }
    }
    if (visit.state === 'waiting') {
      if (!(visit.wake.getTime() > visit.at.getTime()))
        return `visit ${i} waits for a wake not later than now`;
      const busy =
        visit.calls.length > 0 && visit.calls.every((c) => c.fault !== 'ok' && c.fault !== 'refused');
      if (busy && visit.wake.getTime() - visit.at.getTime() > BUSY_MAX_MS) {
        return `visit ${i}: a busy send waits beyond the deferral bound`;
      }
      // A deferral to the step's slot wakes there and tries to send (or ends): it never re-plans on its own.
      if (visit.calls.length === 0 && next?.state === 'waiting' && next.calls.length === 0) {
        return `visit ${i + 1} woke at its slot and deferred again without sending`;
      }
    }
  }
  const calls = visits.flatMap((v) => v.calls);
  // At most one message reached the customer: an accepted call, answered or not. The one exception is
  // an SMS whose answer was lost: no SMS event can name it, so its supporting channel goes after the bound.
  const accepted = calls.filter((c) => c.fault === 'ok' || lost(c.fault));
  const unconfirmable = accepted.filter((c) => c.channel === 'sms' && lost(c.fault));
  if (accepted.length - unconfirmable.length > 1) return 'two messages';
  for (const channel of ['email', 'sms'] as const) {
    if (accepted.filter((c) => c.channel === channel).length > 1) return `two messages by ${channel}`;
  }
  const progress = last.progress;
  if (progress?.outcome === 'skipped' && progress.reasons.length === 0) return 'skipped without a reason';
  if (progress?.handOver === 'failed') {
    // A hand-over because sending failed only once every channel that can reach the customer was tried.
    const reachable = channels.filter((c) => addressOf(customer, c));
    const tried = new Set(calls.map((c) => c.channel));
    if (!reachable.every((c) => tried.has(c))) return `handed over (failed) with ${reachable} untried`;
  }
  return null;
}

describe('a journey step, visit by visit, over generated provider faults', () => {
  it('always ends (sends, skips with a reason or hands over) within a bounded number of visits; every wait has a known wake, a busy one within the deferral bound; a linked maybe-sent send never waits for another slot; a hand-over only once no channel is left', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const world = stepWorld({
          customer: c.customer,
          faults: { email: c.email, sms: c.sms },
          afterwards: c.afterwards,
        });
        const start = new Date(c.start);
        const progress =
          c.task === 'FirstReminder'
            ? ({ action: 'start', wakeAt: start.toISOString() } as const)
            : progressBefore(c.customer, start, c.previous);
        if (c.task === 'FirstReminderUnread' && c.customer.email) {
          // The first reminder's email went out 48 hours ago and was not opened: the read check's SMS.
          const sentAt = new Date(c.start - 48 * 3_600_000).toISOString();
          await world.repository.completeSend(c.customer.id, {
            key: 'run-1#first-reminder',
            status: 'sent',
            channel: 'email',
            at: sentAt,
            fallback: 'sms',
          });
          Object.assign(progress, { pending: 'follow-up', sentAt, sentChannel: 'email' });
        }
        const visits = await driveStep(world, c.task, c.customer, progress, start, MAX_VISITS);
        const why = broken(visits, c.customer, ['email', 'sms']);
        expect(
          why,
          `${why}: ${visits.map((v) => `${v.at.toISOString()} ${v.state} [${v.calls.map((x) => `${x.channel} ${x.fault}`)}]`).join(' → ')}`,
        ).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });
});
