/**
 * The starters' first wake (`planFirstWake`) against the decision the first step's Task makes
 * (`decideStep`, with the first steps as the shipped journeys write them): for any customer, policy,
 * behaviour and start time, the wake is never before the start, lies in an open part of the
 * customer's window on no public holiday, is the slot the Task would pick at the start, and the Task
 * woken there keeps it (one visit sends). A first step that gains a constraint the starter does not
 * know (a `notBefore`, a transactional purpose) fails this, instead of costing every run a visit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { countryTables } from '#adapters/country-tables.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { journeys } from '#catalog/catalog.ts';
import type { BehaviourEvent } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import { decideStep } from '#core/decision.ts';
import { planFirstWake } from '#core/first-wake.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import { isHandOverStep, journeyStepOf, StepConfigSchema } from '#core/journey-step-run.ts';
import type { Segment } from '#core/policy.ts';
import { segmentOf } from '#core/segment.ts';
import { resolveTimezone } from '#core/slot.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { customerArb, instantArb, policyPoolArb } from './arbitraries.ts';

const RUNS = 3_000;
const HOUR = 3_600_000;
const realPolicy = loadPolicy();
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

interface AslState {
  Type: string;
  Next?: string;
  TimestampPath?: string;
  Parameters?: { Payload?: { step?: unknown; nextStep?: unknown } };
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
}

/**
 * Returns the message steps the Task after a journey's first Wait on the start progress runs (its
 * `step`), and the step its `Klantreis.TooEarly` Catch runs on the same start progress (the step's
 * `precededBy`: the notice before the first reminder): the steps the starter plans for.
 */
function firstWaitedSteps(): Array<{ journeyId: string; step: JourneyStep }> {
  return journeys.flatMap((journey) => {
    const asl = JSON.parse(readFileSync(join(repoRoot, journey.definitionFile), 'utf8')) as {
      StartAt: string;
      States: Record<string, AslState>;
    };
    const first = asl.States[asl.StartAt];
    if (first?.Type !== 'Wait' || first.TimestampPath !== '$.journey.progress.wakeAt') return [];
    const task = asl.States[first.Next ?? ''];
    const payload = task?.Parameters?.Payload ?? {};
    const early = task?.Catch?.find((c) => c.ErrorEquals.includes('Klantreis.TooEarly'))?.Next;
    const preceding = early ? asl.States[early]?.Parameters?.Payload?.step : undefined;
    return [preceding, payload.step, payload.nextStep].flatMap((raw) => {
      if (raw === undefined) return [];
      const config = StepConfigSchema.parse(raw);
      return isHandOverStep(config)
        ? []
        : [{ journeyId: journey.id, step: journeyStepOf(journey.id, config) }];
    });
  });
}

const firstSteps = firstWaitedSteps();

/** A year of behaviour before the start: late payments, SMS replies and email engagement. */
const eventsArb = fc.array(
  fc.record({
    type: fc.constantFrom<BehaviourEvent['type']>(
      'payment.late',
      'email.opened',
      'email.clicked',
      'sms.replied',
    ),
    hoursBefore: fc.integer({ min: 1, max: 24 * 360 }),
    subject: fc.integer({ min: 1, max: 4 }),
  }),
  { maxLength: 8 },
);

const caseArb = fc.record({
  customer: customerArb,
  policy: policyPoolArb(realPolicy),
  now: instantArb,
  events: eventsArb,
});

/** Returns why the instant is not open in the segment's window for the customer (null: it is). */
function notOpen(
  at: number,
  c: { customer: (typeof caseArb extends fc.Arbitrary<infer T> ? T : never)['customer'] },
  segment: Segment,
  policy: typeof realPolicy,
) {
  const zone = resolveTimezone(c.customer, policy).timezone;
  const local = DateTime.fromMillis(at, { zone });
  const minute = local.hour * 60 + local.minute;
  const inWindow = segment.windows.some(
    (w) => w.days.includes(local.weekday) && minute >= minutes(w.start) && minute < minutes(w.end),
  );
  if (!inWindow) return `${local.toISO()} outside the windows of ${segment.id}`;
  const qs = minutes(policy.quietHours.start);
  const qe = minutes(policy.quietHours.end);
  const quiet = qs === qe ? false : qs < qe ? minute >= qs && minute < qe : minute >= qs || minute < qe;
  if (quiet) return `${local.toISO()} in quiet hours`;
  const holiday = countryTables
    .holidayCalendarFor(c.customer.country, c.customer.region)
    ?.publicHolidayOn(local.toISODate() ?? '');
  return holiday ? `${local.toISODate()} is a public holiday (${holiday})` : null;
}

describe('the first wake, for any customer × policy × behaviour × start time', () => {
  it('reads the first waited-for steps of the shipped journeys (the payment reminder’s two, the welcome, an instalment’s reminder)', () => {
    expect(firstSteps.map((s) => `${s.journeyId}/${s.step.stepId}`)).toEqual([
      'onboarding/welcome',
      'payment-arrangement/instalment-reminder',
      'payment-reminder/pre-due-notice',
      'payment-reminder/first-reminder',
    ]);
  });

  it('is never before the start, is open in the window, and is the slot the first step picks and then keeps', () => {
    let reachable = 0;
    fc.assert(
      fc.property(caseArb, ({ customer, policy, now, events }) => {
        const nowMs = now.getTime();
        const behaviour = summariseBehaviour(
          events.map((e) => ({
            type: e.type,
            occurredAt: new Date(nowMs - e.hoursBefore * HOUR).toISOString(),
            subjectId: `INV-${e.subject}`,
          })),
          now,
        );
        const plan = planFirstWake({
          customer,
          behaviour,
          policy,
          now,
          holidayCalendarFor: countryTables.holidayCalendarFor,
        });
        const wake = plan.wakeAt.getTime();
        expect(wake).toBeGreaterThanOrEqual(nowMs);

        const segmented = segmentOf({ customer, behaviour, policy, now });
        expect(plan.segmentId).toBe(segmented.segmentId);
        const segment = policy.segments.find((s) => s.id === segmented.segmentId) as Segment;
        expect(notOpen(wake, { customer }, segment, policy)).toBeNull();

        const engagement = behaviour.engagementTimes ?? [];
        for (const { step } of firstSteps) {
          const decide = (at: Date, planned?: Date) =>
            decideStep({
              customer,
              segment,
              tone: segmented.tone,
              step,
              policy,
              countries: countryTables,
              now: at,
              engagement,
              ...(planned ? { planned } : {}),
            });
          const atStart = decide(now);
          // No channel: the step skips (or hands over) whenever it wakes; its slot does not matter.
          if (!atStart.channel) continue;
          reachable++;
          expect(atStart.sendAt).toBe(plan.wakeAt.toISOString());
          // Woken at the plan, the first step keeps it: it sends in this visit, no second one.
          expect(decide(plan.wakeAt, plan.wakeAt).sendAt).toBe(plan.wakeAt.toISOString());
        }
      }),
      { numRuns: RUNS },
    );
    expect(reachable).toBeGreaterThan(RUNS / 2);
  });
});
