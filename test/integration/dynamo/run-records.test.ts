/**
 * The run item as a start's claim and as the record of how its execution ended, against dynalite:
 * the conditional writes decide what the handlers rely on.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import type { JourneyRun } from '#core/ports.ts';
import { ENDED_EXECUTION_STATUSES, runEndOf, withRunEnd } from '#core/run-status.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-run-records';

let table: TestTable;
let repo: DynamoRepository;

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = dynamoRepository(table.doc, TABLE, { bodyRetentionDays: 30 });
});

afterAll(async () => {
  await table?.stop();
});

const runOf = (runId: string, customerId = 'c-runs'): JourneyRun => ({
  runId,
  journeyId: 'payment-reminder',
  customerId,
  subjectId: 'INV-1',
  executionArn: `arn:aws:states:eu-west-1:000000000000:execution:klantreis-test-payment-reminder:${runId}`,
  status: 'running',
  startedAt: '2026-12-01T09:00:00.000Z',
});

describe('claiming a run’s start', () => {
  it('lets exactly one of many simultaneous claims win; the others get the run with its pending input', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repo.claimRun(
          { ...runOf('claim-1'), startedAt: `2026-12-01T09:00:00.0${String(i).padStart(2, '0')}Z` },
          `{"i":${i}}`,
        ),
      ),
    );
    const winners = results.flatMap((result, i) => (result.claimed ? [i] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0] as number;
    for (const result of results) {
      if (!result.claimed) expect(result.existing.pendingInput).toBe(`{"i":${winner}}`);
    }
  });

  it('drops the input once confirmed, and never releases a confirmed run', async () => {
    await repo.claimRun(runOf('claim-2'), '{"input":true}');
    await repo.confirmRunStarted('c-runs', 'claim-2');
    await repo.releaseRunClaim('c-runs', 'claim-2');
    const again = await repo.claimRun(runOf('claim-2'), '{"input":"again"}');
    expect(again).toEqual({ claimed: false, existing: runOf('claim-2') });
    expect(await repo.getRun('claim-2')).toEqual(runOf('claim-2'));
  });

  it('releases an unconfirmed claim, so the id is free again', async () => {
    await repo.claimRun(runOf('claim-3'), '{"input":true}');
    await repo.releaseRunClaim('c-runs', 'claim-3');
    expect(await repo.listRuns('c-runs')).not.toContainEqual(expect.objectContaining({ runId: 'claim-3' }));
    expect((await repo.claimRun(runOf('claim-3'), '{}')).claimed).toBe(true);
  });

  it('confirms nothing into being for a run that is gone', async () => {
    await repo.confirmRunStarted('c-nobody', 'claim-4');
    expect(await repo.listRuns('c-nobody')).toEqual([]);
  });
});

describe('recording how a run ended', () => {
  it('holds the same end as the pure rule, for any order and repeats of the events', async () => {
    const endArb = fc
      .tuple(fc.constantFrom(...ENDED_EXECUTION_STATUSES), fc.integer({ min: 0, max: 3 }))
      .map(([status, ms]) => runEndOf(status, Date.parse('2026-12-20T10:00:00Z') + ms));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(endArb, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (ends, exited) => {
          n += 1;
          const run: JourneyRun = { ...runOf(`end-${n}`), ...(exited ? { status: 'goal-reached' } : {}) };
          await repo.putRun(run);
          for (const end of ends) await repo.recordRunEnded(run.customerId, run.runId, end);
          expect(await repo.getRun(run.runId)).toEqual(ends.reduce(withRunEnd, run));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers unchanged for a repeat and creates no run that does not exist (never started, or erased)', async () => {
    const end = runEndOf('ABORTED', Date.parse('2026-12-20T10:00:00Z'));
    await repo.putRun(runOf('end-repeat'));
    expect(await repo.recordRunEnded('c-runs', 'end-repeat', end)).toBe('recorded');
    expect(await repo.recordRunEnded('c-runs', 'end-repeat', end)).toBe('unchanged');
    expect(await repo.recordRunEnded('c-erased', 'end-gone', end)).toBe('unchanged');
    expect(await repo.listRuns('c-erased')).toEqual([]);
  });
});
