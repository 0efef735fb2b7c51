/**
 * The customer's segment now, from a year of behaviour: the first thing run-journey-step does on a
 * run's first step (the segment then travels in the run's progress).
 */
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { Policy } from '#core/policy.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { type SegmentDecision, segmentOf } from '#core/segment.ts';

/** Behaviour older than a year does not define who a customer is today. */
export const BEHAVIOUR_LOOKBACK_MS = 366 * 24 * 60 * 60 * 1000;

/** Returns the customer's segment now, from a year of behaviour. */
export async function segmentCustomerNow(
  deps: { customers: Pick<CustomerRepository, 'listEvents'>; policy: Policy },
  customer: CustomerProfile,
  now: Date,
): Promise<SegmentDecision> {
  const events = await deps.customers.listEvents(
    customer.id,
    new Date(now.getTime() - BEHAVIOUR_LOOKBACK_MS),
  );
  return segmentOf({ customer, behaviour: summariseBehaviour(events, now), policy: deps.policy, now });
}
