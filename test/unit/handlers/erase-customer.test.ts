import { describe, expect, it } from 'vitest';
import type { CustomerDataExport, ExecutionView } from '#core/ports.ts';
import { makeHandler } from '#handlers/erase-customer.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

const run = (runId: string) => ({
  runId,
  journeyId: 'payment-reminder',
  customerId: 'c-1',
  executionArn: `arn:aws:states:eu-west-1:1:execution:m:${runId}`,
  status: 'running' as const,
  startedAt: '2026-11-01T00:00:00Z',
});

function setup(data: Partial<CustomerDataExport>, statuses: Record<string, ExecutionView['status']>) {
  const calls: string[] = [];
  const handler = makeHandler({
    clock: fixedClock('2026-12-01T10:00:00Z'),
    personalData: {
      async exportCustomerData(customerId) {
        return {
          customerId,
          events: [],
          timeline: [],
          subjects: [],
          runs: [],
          sends: [],
          holds: [],
          handOvers: [],
          shortLinks: [],
          letters: [],
          ...data,
        };
      },
      async eraseCustomerData() {
        calls.push('erase');
        return { deletedItems: 7 };
      },
    },
    suppressions: {
      async suppress(channel, _address, reason) {
        calls.push(`suppress ${channel}: ${reason}`);
      },
    },
    erasures: {
      async markErased(customerId, { erasedAt, secondPassAt }) {
        calls.push(
          `mark ${customerId} erased at ${erasedAt.toISOString()}, second pass ${secondPassAt.toISOString()}`,
        );
      },
    },
    secondPass: {
      async scheduleSecondPass(customerId, at) {
        calls.push(`schedule second pass for ${customerId} at ${at.toISOString()}`);
      },
    },
    executions: {
      async describe(arn) {
        const status = statuses[arn.split(':').at(-1) ?? ''];
        return status ? { status } : undefined;
      },
      async stop(arn) {
        calls.push(`stop ${arn.split(':').at(-1)}`);
      },
    },
  });
  const erase = (customerId = 'c-1') => handler(httpEvent({ pathParameters: { customerId } }), lambdaContext);
  return { calls, erase };
}

describe('erase-customer', () => {
  it('writes the erasure record and schedules the second pass first, then stops, suppresses and deletes', async () => {
    const { calls, erase } = setup(
      {
        profile: { id: 'c-1', locale: 'nl-NL', country: 'NL', email: 'a@example.nl', phone: '+31612345678' },
        runs: [run('r-running'), run('r-done'), run('r-expired')],
      },
      { 'r-running': 'RUNNING', 'r-done': 'SUCCEEDED' },
    );
    const result = await erase();
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '{}')).toEqual({
      customerId: 'c-1',
      deletedItems: 7,
      stoppedRuns: 1,
      suppressedAddresses: 2,
      secondPassAt: '2026-12-01T10:16:00.000Z',
    });
    expect(calls).toEqual([
      'mark c-1 erased at 2026-12-01T10:00:00.000Z, second pass 2026-12-01T10:16:00.000Z',
      'schedule second pass for c-1 at 2026-12-01T10:16:00.000Z',
      'stop r-running',
      'suppress email: customer erased (GDPR)',
      'suppress sms: customer erased (GDPR)',
      'erase',
    ]);
  });

  it('answers 404 when nothing is stored and 400 for an invalid id', async () => {
    const { calls, erase } = setup({}, {});
    expect((await erase()).statusCode).toBe(404);
    expect((await erase('not/valid')).statusCode).toBe(400);
    expect(calls).toEqual([]);
  });
});
