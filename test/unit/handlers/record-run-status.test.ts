import { describe, expect, it } from 'vitest';
import { EXECUTION, runStatusOfRunningRun, STATE_MACHINE } from '../../fixtures/run-status.ts';

/** The event as Step Functions publishes it to EventBridge (fields Klantreis does not read included). */
const statusChange = (status: string, stopDate: number | null) => ({
  version: '0',
  id: '315c1398-40ff-a850-213b-158f73e60175',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '123456789012',
  time: '2026-12-20T10:00:00Z',
  region: 'eu-west-1',
  resources: [EXECUTION],
  detail: {
    executionArn: EXECUTION,
    stateMachineArn: STATE_MACHINE,
    name: 'run-1',
    status,
    startDate: Date.parse('2026-12-01T09:00:00Z'),
    stopDate,
    input: JSON.stringify({ customerId: 'c-1', journeyId: 'payment-reminder', subject: { id: 'INV-1' } }),
    inputDetails: { included: true },
    output: null,
    outputDetails: { included: true },
    error: null,
    cause: null,
  },
});

describe('record-run-status', () => {
  it('records how the execution ended and when, on the run of the customer its input names', async () => {
    const { repository, handle } = runStatusOfRunningRun();
    const stopDate = Date.parse('2026-12-20T10:00:00Z');
    await expect(handle(statusChange('ABORTED', stopDate))).resolves.toEqual({
      runId: 'run-1',
      status: 'aborted',
      outcome: 'recorded',
    });
    expect(repository.runs.get('run-1')).toMatchObject({
      status: 'aborted',
      endedAt: '2026-12-20T10:00:00.000Z',
    });
  });

  it('ignores a repeat and an older event that arrives late', async () => {
    const { repository, handle } = runStatusOfRunningRun();
    const stopDate = Date.parse('2026-12-20T10:00:00Z');
    await handle(statusChange('SUCCEEDED', stopDate));
    expect((await handle(statusChange('SUCCEEDED', stopDate))).outcome).toBe('unchanged');
    expect((await handle(statusChange('FAILED', stopDate - 60_000))).outcome).toBe('unchanged');
    expect(repository.runs.get('run-1')?.status).toBe('completed');
  });

  it('refuses an event that is not an ended execution’s status change', async () => {
    const { handle } = runStatusOfRunningRun();
    await expect(handle(statusChange('RUNNING', null))).rejects.toThrow();
    await expect(handle({ ...statusChange('FAILED', 1), source: 'aws.ses' })).rejects.toThrow();
  });
});
