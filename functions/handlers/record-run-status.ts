/**
 * How a journey's execution ended, onto its run: Step Functions publishes "Step Functions Execution
 * Status Change" events (source `aws.states`) to the default bus, and a rule sends the ended ones of
 * the journeys' state machines here (the local engine hands over the same event). The run item then
 * reads `completed`, `failed`, `timed-out` or `aborted` with the execution's stop time.
 *
 * EventBridge delivers at least once and in no set order: the write is one conditional update that
 * keeps the latest end and never touches a run whose goal was reached or that no longer exists. The
 * run then leaves the count of the state it waited in, once (a transaction conditional on its
 * position), and a failed run is listed for operators.
 *
 * A run that ends with no outcome yet (no goal reached, no hand-over) gets its outcome here:
 * completed without the goal, counted for the run's last message (`completedWithoutGoal`). A failed
 * record throws last, so EventBridge delivers the event again and the count is recorded then.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DynamoRunPositions } from '#adapters/dynamo/run-positions.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createRepository, createResults } from '#adapters/repository-wiring.ts';
import { ResultsNotRecorded } from '#application/errors.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { type ResultsPorts, recordRunOutcome } from '#application/results-recording.ts';
import type { RunStatusRepository } from '#core/ports.ts';
import type { RunPositionRecorder } from '#core/run-positions.ts';
import { ENDED_EXECUTION_STATUSES, EXECUTION_STATUS_CHANGE, runEndOf } from '#core/run-status.ts';

/** The event as EventBridge delivers it; dates are epoch milliseconds, the input is the execution's JSON. */
export const ExecutionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal(EXECUTION_STATUS_CHANGE),
  detail: z.object({
    executionArn: z.string().check(z.minLength(1)),
    stateMachineArn: z.string().check(z.minLength(1)),
    name: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)),
    status: z.enum(ENDED_EXECUTION_STATUSES),
    stopDate: z.number().check(z.int(), z.positive()),
    // Left out by Step Functions only above 256 KB; a journey's input is a few hundred bytes.
    input: z.string(),
  }),
});
export type ExecutionStatusChange = z.infer<typeof ExecutionStatusChangeSchema>;

/** What a journey's input says of its run: the customer whose partition holds the run item. */
const JourneyInputSchema = z.object({ customerId: z.string().check(z.minLength(1)) });

export interface RecordRunStatusDeps {
  runs: RunStatusRepository;
  /** Where the run's outcome goes when it ended without one; none recorded when absent. */
  results?: ResultsPorts;
  /** Takes the ended run off the count of the state it waited in (`#core/run-positions.ts`). */
  positions?: RunPositionRecorder;
}

export function makeHandler(deps: RecordRunStatusDeps) {
  return withObservability(async (event: unknown, _context: Context) => {
    const { detail } = ExecutionStatusChangeSchema.parse(event);
    const runId = detail.name;
    logger.appendKeys({ runId });
    const { customerId } = JourneyInputSchema.parse(JSON.parse(detail.input));
    const end = runEndOf(detail.status, detail.stopDate);
    const outcome = await deps.runs.recordRunEnded(customerId, runId, end);
    // After the status: a step's move needs the run running, so none can land after this take-off.
    const position = (await deps.positions?.takeRunOff(customerId, runId, end)) ?? 'unchanged';
    logger.info('run status', { status: end.status, endedAt: end.endedAt, outcome, position });
    metrics.addMetric(outcome === 'recorded' ? 'RunEndsRecorded' : 'RunEndsUnchanged', 'Count', 1);
    const counted = await recordRunOutcome(
      deps.results,
      { customerId, runId },
      'completed-without-goal',
      end.endedAt,
      {
        reason: end.status,
      },
    );
    if (!counted) throw new ResultsNotRecorded();
    return { runId, status: end.status, outcome };
  });
}

export const handler = wiredOnFirstUse(() =>
  makeHandler({
    runs: createRepository(),
    results: createResults({ pseudonymKey: pseudonymKeyFromEnv() }),
    positions: new DynamoRunPositions(dynamoDbDocumentClient(), readEnv(tableEnv).TABLE_NAME),
  }),
);
