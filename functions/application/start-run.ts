/**
 * Starting a journey run from inside the application (a run another event starts, such as an
 * arrangement's instalment run): the same first wake, execution input and once-only claim as the
 * HTTP starter's, with a run id derived from what it starts.
 */
import { executionArnOf } from '#adapters/sfn-journey-starter.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import { initialJourney } from '#core/journey-step-run.ts';
import type { Policy } from '#core/policy.ts';
import type { Clock, CustomerRepository, JourneyRun } from '#core/ports.ts';
import { type SubjectRegistry, subjects } from '#subjects/registry.ts';
import { firstWakeDayOf, firstWakeNow } from './first-wake-now.ts';
import { type RunStartDeps, type RunStartOutcome, startRunOnce } from './journey-runs.ts';

export interface StartRunDeps extends RunStartDeps {
  customers: Pick<CustomerRepository, 'listEvents' | 'putSubject'>;
  clock: Clock;
  /** journeyId -> state machine ARN of this stage. */
  journeys: Record<string, string>;
  policy: Policy;
  subjects?: SubjectRegistry;
}

/** Starts the journey for the customer about the subject as run `runId` (once: a repeat finds it started). */
export async function startRunAbout(
  deps: StartRunDeps,
  journeyId: string,
  customer: CustomerProfile,
  subject: JourneySubject,
  runId: string,
): Promise<RunStartOutcome> {
  const stateMachineArn = deps.journeys[journeyId];
  if (!stateMachineArn) throw new Error(`unknown journey: ${journeyId}`);
  const now = deps.clock.now();
  const { wakeAt } = await firstWakeNow(
    { customers: deps.customers, policy: deps.policy },
    customer,
    now,
    firstWakeDayOf(journeyId, subject),
  );
  const input = { customerId: customer.id, journeyId, subject, journey: initialJourney(wakeAt) };
  const claim: JourneyRun = {
    runId,
    journeyId,
    customerId: customer.id,
    subjectId: subject.id,
    executionArn: executionArnOf(stateMachineArn, runId),
    status: 'running',
    startedAt: now.toISOString(),
  };
  const registry = deps.subjects ?? subjects;
  return startRunOnce(deps, stateMachineArn, claim, JSON.stringify(input), async (run) => {
    const state = registry.stateAtStart(subject, run.customerId, deps.clock.now().toISOString());
    if (state) await deps.customers.putSubject(state);
  });
}
