/**
 * Hand-overs to a person that end the run: a closing hand-over step (no reaction), a customer no
 * channel reaches, and the journey's Catch when a step failed for good.
 */

import { metrics } from '#adapters/powertools.ts';
import { handOver, handOverLinksOf } from '#core/hand-over.ts';
import {
  failureNameOf,
  type HandOverStepConfig,
  type RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';
import { subjects } from '#subjects/registry.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import { type Base, result } from './progress.ts';
import { visitOf } from './visit.ts';

/** A closing step: hands over to a person (the goal was checked before) and ends the run. */
export async function handOverStep(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: HandOverStepConfig,
  base: Base,
  now: Date,
): Promise<StepProgress> {
  return handOverAndEnd(deps, input, base, step.handOver, now, [`hand-over: ${step.handOver}`]);
}

/**
 * The journey's Catch: a step failed for good. Records the failure (the error's name only) in the
 * conversation and hands over to a person (reason `failed`) unless the goal is reached or the customer
 * is gone (erased); the journey then ends in its Fail state, so the failed-runs alarm still fires.
 */
export async function failedStep(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: HandOverStepConfig,
): Promise<StepProgress> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const { progress } = visitOf(input, step, now);
  const base: Base = {
    segment: progress?.segment ?? { segmentId: 'none', tone: 'friendly', reasons: [], decidedAt: nowIso },
    lastMessage: progress?.lastMessage ?? null,
    stepId: step.stepId,
    // The run's arm stays with it to the end, so a hand-over after a failure is attributed to it too.
    ...(progress?.experiment ? { experiment: progress.experiment } : {}),
  };
  const [customer, stored] = await Promise.all([
    deps.customers.getCustomer(input.customerId),
    deps.customers.getSubject(input.customerId, input.subject.id),
  ]);
  const failure = `step ${progress?.stepId ?? 'first'} failed: ${failureNameOf(input.failure)}`;
  if (!customer)
    return result(base, { action: 'end', wakeAt: nowIso, outcome: 'failed', reasons: [failure] });
  await deps.timeline.appendTimeline({
    id: `${input.runId}.${step.stepId}.failure`,
    customerId: input.customerId,
    at: nowIso,
    kind: 'journey',
    summary: `${input.journeyId}: ${failure}`,
    runId: input.runId,
    journeyId: input.journeyId,
    outcome: 'failed',
    reasons: [failure],
  });
  metrics.addMetric('JourneyStepsFailed', 'Count', 1);
  const goal = (deps.subjects ?? subjects).goalReachedReason(input.subject, stored);
  if (goal) deps.resultFacts?.push({ type: 'goal', at: nowIso });
  if (goal)
    return result(base, { action: 'end', wakeAt: nowIso, outcome: 'goal-reached', reasons: [failure, goal] });
  return handOverAndEnd(deps, input, base, 'failed', now, [failure, 'hand-over: failed']);
}

/** Hands the customer over to a person (one event per run and step) and returns the run's end. */
export async function handOverAndEnd(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  base: Base,
  reason: 'unreachable' | 'no-reaction' | 'failed',
  now: Date,
  reasons: string[],
): Promise<StepProgress> {
  const stepId = base.stepId;
  await handOver(
    { publisher: deps.handOvers.publisher, timeline: deps.timeline },
    {
      // One per run and step: a retried step publishes the same id and overwrites its timeline entry.
      handOverId: `${input.runId}.${stepId}`,
      customerId: input.customerId,
      reason,
      at: now.toISOString(),
      ...handOverLinksOf(deps.handOvers, input.customerId),
      journeyId: input.journeyId,
      runId: input.runId,
      subjectId: input.subject.id,
    },
  );
  metrics.addMetric('HandOvers', 'Count', 1);
  deps.resultFacts?.push({ type: 'hand-over', reason, at: now.toISOString() });
  return result(base, {
    action: 'end',
    wakeAt: now.toISOString(),
    outcome: 'handed-over',
    handOver: reason,
    reasons,
  });
}
