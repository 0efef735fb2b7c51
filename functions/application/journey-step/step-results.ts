/**
 * The result events of one step visit (`functions/core/results.ts`), recorded from what the visit
 * recorded in the conversation, after it did:
 * - its decision: `planned` (once per run, step and occurrence), and `skipped` by reason or
 *   `unreachable` when it sends nothing;
 * - each message it sent (a conversation entry `message`/`sent`, whichever path wrote it: the send
 *   pipeline, the supporting channel, a maybe-sent message linked meanwhile): `sent`, with its delivery
 *   cost as the policy prices it and the visit's orchestration cost; the run item keeps it as the run's
 *   last message, which a later goal is attributed to;
 * - the run's outcome when the visit ends it: the goal reached (its goal check), or a hand-over.
 * The parts of the step report decisions, skips, hand-overs and goals through `resultFacts`; messages
 * are read from the conversation entries the visit writes.
 */
import { performance } from 'node:perf_hooks';
import { readDataFile } from '#adapters/data-file.ts';
import type { StepPlan } from '#application/decide-step.ts';
import {
  noteRunResults,
  type ResultFact,
  recordResults,
  recordRunOutcome,
} from '#application/results-recording.ts';
import { sendKey } from '#application/send-step.ts';
import { channelCost } from '#core/channel.ts';
import { isJourneyControl, RunEnded } from '#core/journey-control.ts';
import type { RunJourneyStepInput, StepProgress } from '#core/journey-step-run.ts';
import type { TimelineEntry, TimelineRepository } from '#core/ports.ts';
import { microUsd, type OrchestrationPrices, orchestrationMicroUsd, visitUnits } from '#core/result-cost.ts';
import { resultDimsOf } from '#core/results.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import type { DecisionFact, ExperimentArm, StepFact, StepFactSink } from './step-facts.ts';

let prices: OrchestrationPrices | undefined;

/** Memory of the function the visit runs in (Lambda sets the variable), for its GB-seconds. */
const memoryMb = () => Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 512;

/** Returns the fact of a step's decision (its plan) for its results. */
export function decisionFact(stepId: string, plan: StepPlan, segment: string, at: Date): DecisionFact {
  const experiment = experimentOf(plan);
  return {
    type: 'decision',
    stepId,
    channel: plan.channel,
    variant: plan.tone,
    locale: plan.locale,
    skipped: plan.skipped,
    segment,
    ...(experiment ? { experiment } : {}),
    costUsd: plan.costUsd,
    at: at.toISOString(),
  };
}

/** Returns the arm a decision or a progress carries, if any (`experiment: { id, arm }`). */
export function experimentOf(carrier: unknown): ExperimentArm | undefined {
  const experiment = (carrier as { experiment?: Partial<ExperimentArm> } | null | undefined)?.experiment;
  return typeof experiment?.id === 'string' && typeof experiment.arm === 'string'
    ? { id: experiment.id, arm: experiment.arm }
    : undefined;
}

/**
 * Runs the visit (`work`) with its parts reporting to a collector and its conversation entries
 * observed, then records its results; a control outcome (`Klantreis.NotYet`, `RunEnded`, …) records
 * what the visit did before it. Without `deps.results` it only runs the visit.
 */
export async function withStepResults(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  work: (deps: RunJourneyStepDeps) => Promise<StepProgress>,
): Promise<StepProgress> {
  if (!deps.results) return work(deps);
  const facts: StepFact[] = [];
  const sent: TimelineEntry[] = [];
  let entries = 0;
  const timeline: TimelineRepository = {
    appendTimeline: async (entry) => {
      await deps.timeline.appendTimeline(entry);
      entries += 1;
      if (entry.kind === 'message' && entry.outcome === 'sent') sent.push(entry);
    },
    listTimeline: (customerId, limit) => deps.timeline.listTimeline(customerId, limit),
  };
  const started = performance.now();
  const visit = { facts, sent, entries: () => entries, started, armNoted: false };
  const resultFacts: StepFactSink = {
    push: (fact) => facts.push(fact),
    decided: async (fact) => {
      facts.push(fact);
      if (!fact.experiment || experimentOf(progressBefore(input))) return;
      const { id, arm } = fact.experiment;
      visit.armNoted = await noteRunResults(deps.results, input.runId, () =>
        deps.results?.noteRunResults(input.customerId, input.runId, {
          segment: fact.segment,
          experimentId: id,
          arm,
        }),
      );
    },
  };
  let progress: StepProgress;
  try {
    progress = await work({ ...deps, timeline, resultFacts });
  } catch (error) {
    // An erased customer's visit records nothing more: the run ends at once, as the erasure stops it.
    const erased = error instanceof RunEnded && error.reason === 'customer erased';
    if (isJourneyControl(error) && !erased) await recordVisit(deps, input, visit, undefined);
    throw error;
  }
  await recordVisit(deps, input, visit, progress);
  return progress;
}

async function recordVisit(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  visit: {
    facts: StepFact[];
    sent: TimelineEntry[];
    entries: () => number;
    started: number;
    armNoted: boolean;
  },
  progress: StepProgress | undefined,
): Promise<void> {
  const { facts, sent } = visit;
  if (facts.length === 0 && sent.length === 0) return;
  const before = progressBefore(input);
  const decision = facts.find((f) => f.type === 'decision');
  const segment = progress?.segment.segmentId ?? decision?.segment ?? before?.segment.segmentId ?? 'none';
  const experiment = decision?.experiment ?? experimentOf(progress) ?? experimentOf(before);
  const arm = experiment ? { experimentId: experiment.id, arm: experiment.arm } : {};
  const occurrence = 'occurrence' in input.step ? input.step.occurrence : undefined;
  const country = facts.find((f) => f.type === 'customer')?.country ?? '';

  // The visit's own units: two transitions, one invocation, and its writes (each conversation entry,
  // a send's claim and record, and each result event's transaction of two items).
  const results = buildFacts();
  const writes = visit.entries() + sent.length * 2 + results.length * 4;
  prices ??= readDataFile('orchestration-prices.json') as OrchestrationPrices;
  const orchestration = orchestrationMicroUsd(
    visitUnits(performance.now() - visit.started, memoryMb(), writes),
    prices,
  );
  // The visit's orchestration goes with the event it exists for: its message, else its decision.
  const carrier = results.find((r) => r.kind === 'sent') ?? results.find((r) => r.kind === 'planned');
  if (carrier) carrier.costMicroUsd = { ...carrier.costMicroUsd, orchestration };
  await recordResults(deps.results, input.customerId, results);

  const last = sent.at(-1);
  const message = last?.channel
    ? {
        stepId: stepIdOf(last),
        channel: last.channel,
        variant: last.tone ?? 'none',
        locale: last.locale ?? 'none',
        at: last.at,
      }
    : undefined;
  // The run keeps its segment and arm (its first decision, an experiment's: noted before the send
  // already) and its last message.
  if (message || (decision && (!before || experiment) && !visit.armNoted)) {
    await noteRunResults(deps.results, input.runId, () =>
      deps.results?.noteRunResults(input.customerId, input.runId, {
        segment,
        ...(experiment ? { experimentId: experiment.id, arm: experiment.arm } : {}),
        ...(message ? { message } : {}),
      }),
    );
  }
  const run = { customerId: input.customerId, runId: input.runId };
  for (const fact of facts) {
    if (fact.type === 'goal') {
      await recordRunOutcome(deps.results, run, 'goal-reached', fact.at, { goalEvent: 'goal-check' });
    }
    if (fact.type === 'hand-over') {
      const kind = fact.reason === 'unreachable' ? 'unreachable' : 'handed-over';
      await recordRunOutcome(deps.results, run, kind, fact.at, { reason: fact.reason });
    }
  }

  function buildFacts(): ResultFact[] {
    const out: ResultFact[] = [];
    const dimsOf = (
      known: { stepId: string; channel?: string | null; variant?: string; locale?: string },
      at: string,
    ) => resultDimsOf({ journeyId: input.journeyId, segment, ...arm, ...known }, at);
    /** One event of the step (`<kind>:<send key>`: once per run, step and occurrence). */
    const ofStep = (
      kind: ResultFact['kind'],
      stepId: string,
      at: string,
      dims: ResultFact['dims'],
      reason?: string,
    ) =>
      out.push({
        eventId: `${kind}:${sendKey(input.runId, stepId, occurrence)}`,
        at,
        kind,
        dims,
        runId: input.runId,
        ...(reason ? { reason } : {}),
      });
    for (const fact of facts) {
      if (fact.type === 'decision') {
        const dims = dimsOf(fact, fact.at);
        ofStep('planned', fact.stepId, fact.at, dims);
        if (fact.skipped === 'no-reachable-channel') ofStep('unreachable', fact.stepId, fact.at, dims);
        else if (fact.skipped) ofStep('skipped', fact.stepId, fact.at, dims, fact.skipped);
      }
      if (fact.type === 'skipped') {
        ofStep('skipped', fact.stepId, fact.at, dimsOf({ stepId: fact.stepId }, fact.at), fact.reason);
      }
    }
    for (const entry of sent) {
      const channel = entry.channel ?? 'email';
      // An SMS is billed per part: priced by the text that went out, where the entry keeps it.
      const usd =
        channel === 'sms' && entry.body?.text
          ? channelCost(channel, country, deps.policy, smsEncodingOf(entry.body.text).segments)
          : decision?.channel === channel && decision.costUsd !== null
            ? decision.costUsd
            : channelCost(channel, country, deps.policy);
      out.push({
        eventId: `sent:${entry.id ?? `${input.runId}#${entry.stepId}`}`,
        at: entry.at,
        kind: 'sent',
        dims: dimsOf(
          { stepId: stepIdOf(entry), channel, variant: entry.tone ?? 'none', locale: entry.locale ?? 'none' },
          entry.at,
        ),
        runId: input.runId,
        costMicroUsd: { delivery: microUsd(usd) },
      });
    }
    return out;
  }
}

/** The previous Task's result the visit started from; null on the run's first step. */
function progressBefore(input: RunJourneyStepInput): StepProgress | null {
  const given = input.journey?.progress ?? input.progress ?? null;
  return given && given.action !== 'start' ? given : null;
}

/**
 * The step a message is counted under: its own. A supporting channel's send (`<stepId>-fallback`) is a
 * step of its own in the funnel, with its own decision (`planned`), so a follow-up after an unread
 * email never counts as a second `sent` of the step that planned one.
 */
export function stepIdOf(entry: Pick<TimelineEntry, 'stepId'>): string {
  return entry.stepId ?? 'run';
}
