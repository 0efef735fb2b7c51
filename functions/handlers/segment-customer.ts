import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadPolicy } from '#adapters/policy-file.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { summariseBehaviour } from '#core/behaviour-summary.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { Policy } from '#core/policy.ts';
import type { Clock, CustomerRepository } from '#core/ports.ts';
import { type SegmentDecision, segmentOf } from '#core/segment.ts';
import { CustomerNotFound } from '#shared/errors.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const SegmentCustomerInput = z.object({
  runId: z.string().min(1),
  customerId: z.string().min(1),
  journeyId: z.string().min(1),
});

/**
 * `decidedAt` is when the journey segmented the customer, its first step: later steps read it as
 * the trigger time (a step may have to go out "within N hours of the trigger").
 */
export type SegmentCustomerResult = SegmentDecision & { decidedAt: string };

/**
 * Reads only: the segment's reasons travel with the decision into every step's plan, where
 * pick-channel-and-slot records them in the timeline beside the channel and slot reasons.
 */
export interface SegmentCustomerDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'listEvents'>;
  policy: Policy;
  clock: Clock;
}

/** Behaviour older than a year does not define who a customer is today. */
const BEHAVIOUR_LOOKBACK_MS = 366 * 24 * 60 * 60 * 1000;

/** Returns the customer's segment now, from a year of behaviour. Shared with run-journey-step. */
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

export function makeHandler(deps: SegmentCustomerDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<SegmentCustomerResult> => {
    const input = SegmentCustomerInput.parse(event);
    const now = deps.clock.now();
    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    const decision = await segmentCustomerNow(deps, customer, now);
    logger.info('customer segmented', { runId: input.runId, segmentId: decision.segmentId });
    metrics.addMetric('CustomersSegmented', 'Count', 1);
    return { ...decision, decidedAt: now.toISOString() };
  });
}

export const handler = wiredOnFirstUse(() => {
  return makeHandler({ customers: createRepository(), policy: loadPolicy(), clock: systemClock });
});
