/**
 * Running runs per position against the local DynamoDB (its TransactWriteItems included): a move is
 * counted once however often it is tried, an end takes the run off once, and no count goes below zero
 * whatever order moves, retries and ends come in.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import { DynamoRunPositions } from '#adapters/dynamo/run-positions.ts';
import { runKey, runWatchKey } from '#adapters/dynamo/table-keys.ts';
import { positionKey, type RunPosition } from '#core/journey-graph.ts';
import type { JourneyRun } from '#core/ports.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-run-positions';

let table: TestTable;
let repo: DynamoRepository;
let positions: DynamoRunPositions;

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = dynamoRepository(table.doc, TABLE, { bodyRetentionDays: 30 });
  positions = new DynamoRunPositions(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

const runOf = (journeyId: string, runId: string, customerId = 'c-positions'): JourneyRun => ({
  runId,
  journeyId,
  customerId,
  subjectId: 'INV-1',
  executionArn: `arn:aws:states:eu-west-1:000000000000:execution:klantreis-test-${journeyId}:${runId}`,
  status: 'running',
  startedAt: '2026-12-01T09:00:00.000Z',
});

const FIRST: RunPosition = { stepKey: 'first-reminder', exit: 'next' };
const DEFERRED: RunPosition = { stepKey: 'first-reminder', exit: 'deferred' };
const SECOND: RunPosition = { stepKey: 'second-reminder', exit: 'next' };
const END = { status: 'completed' as const, endedAt: '2026-12-20T09:00:00.000Z' };

const move = (run: JourneyRun, to: RunPosition, nextWakeAt: string | null = '2026-12-08T09:00:00.000Z') =>
  positions.moveRun({
    customerId: run.customerId,
    runId: run.runId,
    journeyId: run.journeyId,
    to,
    nextWakeAt,
  });

describe('moving runs between positions', () => {
  it('counts a retried move once, and moves the count with the run', async () => {
    const run = runOf('j-retry', 'run-retry');
    await repo.putRun(run);
    expect(await move(run, FIRST)).toBe('moved');
    expect(await move(run, FIRST)).toBe('unchanged');
    await Promise.all([move(run, DEFERRED), move(run, DEFERRED), move(run, DEFERRED)]);
    expect(await positions.countsOf('j-retry')).toEqual({
      [positionKey(FIRST)]: 0,
      [positionKey(DEFERRED)]: 1,
    });
    const item = await table.doc.send(
      new GetCommand({ TableName: TABLE, Key: runKey(run.customerId, run.runId) }),
    );
    expect(item.Item).toMatchObject({ position: 'first-reminder:deferred' });
    const watchOf = async () =>
      (
        await table.doc.send(
          new GetCommand({ TableName: TABLE, Key: runWatchKey(run.customerId, run.runId) }),
        )
      ).Item;
    expect(await watchOf()).toMatchObject({
      position: 'first-reminder:deferred',
      nextWakeAt: '2026-12-08T09:00:00.000Z',
    });
    // Deferred again to a later wake: the same count, the watch item's wake moves.
    expect(await move(run, DEFERRED, '2026-12-09T09:00:00.000Z')).toBe('unchanged');
    expect(await watchOf()).toMatchObject({
      nextWakeAt: '2026-12-09T09:00:00.000Z',
      gsi1sk: expect.stringMatching(/^2026-12-09T09/),
    });
    expect(await positions.countsOf('j-retry')).toEqual({
      [positionKey(FIRST)]: 0,
      [positionKey(DEFERRED)]: 1,
    });
  });

  it('takes an ended run off its position once, and never moves it again', async () => {
    const run = runOf('j-end', 'run-end');
    await repo.putRun(run);
    await move(run, SECOND);
    await repo.recordRunEnded(run.customerId, run.runId, END);
    expect(await positions.takeRunOff(run.customerId, run.runId, END)).toBe('moved');
    expect(await positions.takeRunOff(run.customerId, run.runId, END)).toBe('unchanged');
    expect(await move(run, FIRST)).toBe('unchanged');
    expect(await positions.countsOf('j-end')).toEqual({ [positionKey(SECOND)]: 0 });
  });

  it('lists a failed run by the day it ended, with its execution', async () => {
    const run = runOf('j-failed', 'run-failed');
    await repo.putRun(run);
    await move(run, FIRST);
    const failed = { status: 'failed' as const, endedAt: '2026-12-03T10:00:00.000Z' };
    await positions.takeRunOff(run.customerId, run.runId, failed);
    const watch = await table.doc.send(
      new GetCommand({ TableName: TABLE, Key: runWatchKey(run.customerId, run.runId) }),
    );
    expect(watch.Item).toMatchObject({
      gsi1pk: 'RUNS-FAILED#2026-12-03',
      status: 'failed',
      executionArn: run.executionArn,
    });
    expect(watch.Item?.nextWakeAt).toBeUndefined();
  });

  it('moves nothing for an unknown (erased) run and writes nothing into its partition', async () => {
    const ghost = runOf('j-ghost', 'run-ghost', 'c-erased');
    expect(await move(ghost, FIRST)).toBe('unchanged');
    expect(await positions.takeRunOff(ghost.customerId, ghost.runId, { ...END, status: 'failed' })).toBe(
      'unchanged',
    );
    const watch = await table.doc.send(
      new GetCommand({ TableName: TABLE, Key: runWatchKey(ghost.customerId, ghost.runId) }),
    );
    expect(watch.Item).toBeUndefined();
    expect(await positions.countsOf('j-ghost')).toEqual({});
  });

  it('keeps every count equal to the runs at that position, never negative, whatever the order', async () => {
    const steps: RunPosition[] = [FIRST, DEFERRED, SECOND, { stepKey: 'final-notice', exit: 'next' }];
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            run: fc.integer({ min: 0, max: 3 }),
            action: fc.oneof(fc.constantFrom(...steps), fc.constant('end' as const)),
            twice: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (actions) => {
          round += 1;
          const journeyId = `j-prop-${round}`;
          const runs = Array.from({ length: 4 }, (_, i) => runOf(journeyId, `run-${round}-${i}`));
          await Promise.all(runs.map((run) => repo.putRun(run)));
          for (const { run: i, action, twice } of actions) {
            const run = runs[i] as JourneyRun;
            const once = async () => {
              if (action === 'end') {
                await repo.recordRunEnded(run.customerId, run.runId, END);
                await positions.takeRunOff(run.customerId, run.runId, END);
              } else await move(run, action);
            };
            await (twice ? Promise.all([once(), once()]) : once());
          }
          const expected: Record<string, number> = {};
          for (const run of runs) {
            const { Item } = await table.doc.send(
              new GetCommand({
                TableName: TABLE,
                Key: runKey(run.customerId, run.runId),
                ConsistentRead: true,
              }),
            );
            if (Item?.position) expected[Item.position] = (expected[Item.position] ?? 0) + 1;
          }
          const counts = await positions.countsOf(journeyId);
          for (const [position, count] of Object.entries(counts)) {
            expect(count).toBeGreaterThanOrEqual(0);
            expect(count).toBe(expected[position] ?? 0);
          }
          for (const [position, count] of Object.entries(expected)) expect(counts[position]).toBe(count);
        },
      ),
      { numRuns: 15 },
    );
  });
});
