/**
 * A run's first wake for a start now: what both journey starters put in the execution input. One
 * Query (a year of the customer's events, as the first step's segmentation reads them) beside the
 * profile the starter has read already; the rest is the pure plan (`#core/first-wake.ts`).
 */
import type { CustomerProfile } from '#core/customer.ts';
import { type FirstWake, planFirstWake } from '#core/first-wake.ts';
import type { Policy } from '#core/policy.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { behaviourNow } from './segment-now.ts';

/** Returns the run's first wake for a start at `now`: the first step's slot for the customer. */
export async function firstWakeNow(
  deps: { customers: Pick<CustomerRepository, 'listEvents'>; policy: Policy },
  customer: CustomerProfile,
  now: Date,
): Promise<FirstWake> {
  const behaviour = await behaviourNow(deps.customers, customer.id, now);
  return planFirstWake({ customer, behaviour, policy: deps.policy, now });
}
