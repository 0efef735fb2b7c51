/**
 * A run's first wake for a start now: what both journey starters put in the execution input. One
 * Query (a year of the customer's events, as the first step's segmentation reads them) beside the
 * profile the starter has read already; the rest is the pure plan (`#core/first-wake.ts`).
 */

import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { type JourneySpec, journeys } from '#catalog/catalog.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { type FirstWake, type FirstWakeDay, planFirstWake } from '#core/first-wake.ts';
import type { Policy } from '#core/policy.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { behaviourNow } from './segment-now.ts';

/**
 * Returns the run's first wake for a start at `now`: the first step's slot for the customer, not before
 * the subject day `day` names (the journey's `firstWake`, e.g. 30 days before the contract's end date).
 */
export async function firstWakeNow(
  deps: { customers: Pick<CustomerRepository, 'listEvents'>; policy: Policy },
  customer: CustomerProfile,
  now: Date,
  day?: FirstWakeDay,
): Promise<FirstWake> {
  const behaviour = await behaviourNow(deps.customers, customer.id, now);
  return planFirstWake({ customer, behaviour, policy: deps.policy, now, day, holidayCalendarFor });
}

/** Returns the subject day the journey's first wake waits for (its catalog `firstWake`), or undefined. */
export function firstWakeDayOf(journeyId: string, subject: object): FirstWakeDay | undefined {
  const offset = (journeys as readonly JourneySpec[]).find((j) => j.id === journeyId)?.firstWake;
  return offset ? { offset, subject } : undefined;
}
