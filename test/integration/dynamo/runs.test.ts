import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRuns } from '#adapters/dynamo/runs.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
let repo: DynamoRuns;
const now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = new DynamoRuns(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoRuns against dynalite', () => {
  it('finds a journey run by its id alone and updates its status', async () => {
    const run = {
      runId: 'run-42',
      journeyId: 'payment-reminder',
      customerId: 'c-1001',
      subjectId: 'INV-2026-001',
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:klantreis-test-payment-reminder:run-42',
      status: 'running' as const,
      startedAt: now.toISOString(),
    };
    await repo.putRun(run);
    expect(await repo.getRun('run-42')).toEqual(run);
    await repo.setRunStatus('c-1001', 'run-42', 'goal-reached');
    expect((await repo.getRun('run-42'))?.status).toBe('goal-reached');
    expect(await repo.getRun('run-unknown')).toBeUndefined();
    await expect(repo.setRunStatus('c-1001', 'run-unknown', 'failed')).rejects.toThrow('not found');
  });

  it('lists a customer’s runs', async () => {
    const run = {
      journeyId: 'payment-reminder',
      customerId: 'due-1',
      executionArn: 'arn:aws:states:eu-west-1:000000000000:execution:x:r',
      status: 'running' as const,
      startedAt: now.toISOString(),
    };
    await repo.putRun({ ...run, runId: 'run-2', subjectId: 'INV-A' });
    await repo.putRun({ ...run, runId: 'run-1' });
    expect((await repo.listRuns('due-1')).map((r) => r.runId)).toEqual(['run-1', 'run-2']);
    expect(await repo.listRuns('due-9')).toEqual([]);
  });
});
