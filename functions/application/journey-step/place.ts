/**
 * The customer's place: their time zone, and the first slot of their window at or after a wake time,
 * so the next step's wake is planned where it can send at once. And the policy without the send-time
 * spread, for times that carry the customer's spread already.
 */

import { countryTables } from '#adapters/country-tables.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import { journeyStepOf, type MessageStepConfig, type StepProgress } from '#core/journey-step-run.ts';
import type { Policy } from '#core/policy.ts';
import { resolveTimezone } from '#core/slot.ts';
import type { RunJourneyStepDeps } from './deps.ts';

/** The customer's time zone, and the first slot of their window at or after a wake time. */
export interface Place {
  timezone: string;
  align: (wake: Date) => Date;
}

/**
 * Returns the customer's place. `align` moves a next step's wake time into the customer's window as
 * this step's channels, purpose and segment see it, with the customer's email engagement when given
 * (send-time optimisation; no spread: the time carries this send's), so the next visit sends at once
 * instead of waking outside the window or before the engaged hour and deferring (weekend, holiday).
 */
export function placeOf(
  deps: Pick<RunJourneyStepDeps, 'policy'>,
  journeyId: string,
  step: MessageStepConfig,
  customer: CustomerProfile,
  segment: StepProgress['segment'],
  engagement: readonly number[] = [],
): Place {
  const timezone = resolveTimezone(customer, deps.policy).timezone;
  const policySegment = deps.policy.segments.find((s) => s.id === segment.segmentId);
  const policy = spreadless(deps.policy);
  return {
    timezone,
    align: (wake) => {
      if (!policySegment) return wake;
      const { sendAt } = decideStep({
        customer,
        segment: policySegment,
        tone: segment.tone,
        step: {
          ...journeyStepOf(journeyId, step),
          withinHours: undefined,
          notBefore: undefined,
          notAfter: undefined,
        },
        policy,
        countries: countryTables,
        now: wake,
        engagement,
      });
      return sendAt ? new Date(sendAt) : wake;
    },
  };
}

/** Returns the policy without the send-time spread (`sendTime.spreadMinutes`). */
export function spreadless(policy: Policy): Policy {
  return { ...policy, sendTime: { ...policy.sendTime, spreadMinutes: 0 } };
}
