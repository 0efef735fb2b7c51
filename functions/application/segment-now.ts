/**
 * The customer's segment now, from a year of behaviour: the first thing run-journey-step does on a
 * run's first step (the segment then travels in the run's progress).
 */
import type { BehaviourSummary } from '#core/behaviour.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { Policy } from '#core/policy.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { type SegmentDecision, segmentOf } from '#core/segment.ts';

/** Behaviour older than a year does not define who a customer is today. */
const BEHAVIOUR_LOOKBACK_MS = 366 * 24 * 60 * 60 * 1000;

/** Returns the customer's behaviour now: a year of their events (one Query), summarised. */
export async function behaviourNow(
  customers: Pick<CustomerRepository, 'listEvents'>,
  customerId: string,
  now: Date,
): Promise<BehaviourSummary> {
  const events = await customers.listEvents(customerId, new Date(now.getTime() - BEHAVIOUR_LOOKBACK_MS));
  return summariseBehaviour(events, now);
}

/** Returns the customer's segment now, from a year of behaviour. */
export async function segmentCustomerNow(
  deps: { customers: Pick<CustomerRepository, 'listEvents'>; policy: Policy },
  customer: CustomerProfile,
  now: Date,
): Promise<SegmentDecision> {
  const behaviour = await behaviourNow(deps.customers, customer.id, now);
  return segmentOf({ customer, behaviour, policy: deps.policy, now });
}
