/**
 * Recording result events (`functions/core/results.ts`) from the code paths that record the
 * conversation. Always after the conversation's own writes, and never failing them: a record that
 * fails is logged (its event id and kind, no personal data), counted (`ResultsNotRecorded`) and
 * reported back, so a handler with a retry of its own can ask for it. A retry records the same
 * events again with the same ids, and the marker of each event counts it once: so the order
 * "conversation first, results after" neither loses a count (the retry records what failed) nor
 * doubles one.
 */
import type { CustomerKeys, ResultsRecorder, RunResultsRepository } from '#core/ports.ts';
import { outcomeEvent, type ResultEvent, type RunOutcome, runOutcomeOf } from '#core/results.ts';
import { logger, metrics } from '../adapters/powertools.ts';

/** The results ports a recording code path needs: one table serves them all (`DynamoResults`). */
export type ResultsPorts = ResultsRecorder & CustomerKeys & RunResultsRepository;

/** A result event before the customer is replaced by their pseudonymous key. */
export type ResultFact = Omit<ResultEvent, 'customerKey'>;

/** Records the facts about one customer; returns false when any failed (logged and counted). */
export async function recordResults(
  results: ResultsPorts | undefined,
  customerId: string,
  facts: readonly ResultFact[],
): Promise<boolean> {
  if (!results || facts.length === 0) return true;
  let customerKey: string;
  try {
    customerKey = await results.customerKeyOf(customerId);
  } catch (error) {
    return failed(facts, error);
  }
  const outcomes = await Promise.allSettled(facts.map((fact) => results.record({ ...fact, customerKey })));
  const failures = facts.filter((_, i) => outcomes[i]?.status === 'rejected');
  if (failures.length === 0) return true;
  const first = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
  return failed(failures, first.reason);
}

/**
 * Records the run's outcome on its run item (the first wins) and, when the outcome it holds is this
 * kind, counts it attributed to the run's last message before it. Returns false when a write failed.
 */
export async function recordRunOutcome(
  results: ResultsPorts | undefined,
  run: { customerId: string; runId: string },
  kind: RunOutcome['kind'],
  at: string,
  detail: { goalEvent?: string; reason?: string } = {},
): Promise<boolean> {
  if (!results) return true;
  try {
    const stored = await results.getRunResults(run.customerId, run.runId);
    if (!stored) return true;
    const held =
      stored.outcome ??
      (await results.recordRunOutcome(
        run.customerId,
        run.runId,
        runOutcomeOf(kind, stored, stored.context, at, detail),
      ));
    // Another outcome came first (a goal after a hand-over): that one is the run's, counted by its path.
    if (!held || held.kind !== kind) return true;
    const customerKey = await results.customerKeyOf(run.customerId);
    await results.record(
      outcomeEvent({ runId: run.runId, journeyId: stored.journeyId, customerKey }, stored.context, held),
    );
    return true;
  } catch (error) {
    logger.error('run outcome not recorded', { runId: run.runId, outcome: kind, error: errorName(error) });
    metrics.addMetric('ResultsNotRecorded', 'Count', 1);
    return false;
  }
}

/** Keeps the run's result context (`RunResultsRepository.noteRunResults`); false when it failed (logged, counted). */
export async function noteRunResults(
  results: ResultsPorts | undefined,
  runId: string,
  note: () => Promise<void> | undefined,
): Promise<boolean> {
  if (!results) return true;
  try {
    await note();
    return true;
  } catch (error) {
    // A later goal is then attributed to the message noted before this one.
    logger.error('run result context not kept', { runId, error: errorName(error) });
    metrics.addMetric('ResultsNotRecorded', 'Count', 1);
    return false;
  }
}

function failed(facts: readonly ResultFact[], error: unknown): false {
  // Event ids and kinds only: no personal data.
  logger.error('result events not recorded', {
    eventIds: facts.map((fact) => fact.eventId),
    error: errorName(error),
  });
  metrics.addMetric('ResultsNotRecorded', 'Count', facts.length);
  return false;
}

/** The error's name only: a message may quote an item. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
