import { describe, expect, it } from 'vitest';
import type { ExecutionView, JourneyRun } from '#core/ports.ts';
import { makeHandler } from '#handlers/erase-late-writes.ts';
import { fixedClock, lambdaContext } from '../../fixtures/lambda.ts';

const run = (runId: string): JourneyRun => ({
  runId,
  journeyId: 'onboarding',
  customerId: 'c-1',
  executionArn: `arn:aws:states:eu-west-1:1:execution:m:${runId}`,
  status: 'running',
  startedAt: '2026-12-01T10:01:00Z',
});

function setup(options: {
  runs: JourneyRun[];
  statuses: Record<string, ExecutionView['status']>;
  recorded?: boolean;
}) {
  const calls: string[] = [];
  const handler = makeHandler({
    clock: fixedClock('2026-12-01T10:16:00Z'),
    runs: { listRuns: async () => options.runs },
    personalData: {
      async eraseCustomerData(customerId) {
        calls.push(`erase ${customerId}`);
        return { deletedItems: 3 };
      },
    },
    erasures: {
      async recordSecondPass(customerId, pass) {
        calls.push(
          `record ${customerId}: ${pass.ranAt.toISOString()} ${pass.removedItems} ${pass.stoppedRuns}`,
        );
        return options.recorded ?? true;
      },
    },
    executions: {
      async describe(arn) {
        const status = options.statuses[arn.split(':').at(-1) ?? ''];
        return status ? { status } : undefined;
      },
      async stop(arn) {
        calls.push(`stop ${arn.split(':').at(-1)}`);
      },
    },
  });
  return { calls, handler };
}

describe('erase-late-writes (the erasure’s second pass)', () => {
  it('stops runs started since the erasure, removes what was written since, and records that it ran', async () => {
    const { calls, handler } = setup({
      runs: [run('r-late'), run('r-ended')],
      statuses: { 'r-late': 'RUNNING', 'r-ended': 'ABORTED' },
    });
    const result = await handler({ customerId: 'c-1' }, lambdaContext);
    expect(result).toEqual({ removedItems: 3, stoppedRuns: 1, recorded: true });
    expect(calls).toEqual(['stop r-late', 'erase c-1', 'record c-1: 2026-12-01T10:16:00.000Z 3 1']);
  });

  it('still erases when the erasure record is gone, and says it could not record', async () => {
    const { handler } = setup({ runs: [], statuses: {}, recorded: false });
    expect(await handler({ customerId: 'c-1' }, lambdaContext)).toEqual({
      removedItems: 3,
      stoppedRuns: 0,
      recorded: false,
    });
  });

  it('refuses an event without a valid customer id, naming no value', async () => {
    const { calls, handler } = setup({ runs: [], statuses: {} });
    await expect(handler({ customerId: 'a/b' }, lambdaContext)).rejects.toThrow(
      'erasure pass: invalid event (customerId)',
    );
    expect(calls).toEqual([]);
  });
});
