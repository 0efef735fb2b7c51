import { describe, expect, it } from 'vitest';
import { pauseRemindersUntil, resumeReminders } from '#application/reminder-holds.ts';
import { type Hold, holdNow } from '#core/hold.ts';
import type { JourneyRun } from '#core/ports.ts';

const run = (runId: string, fields: Partial<JourneyRun> = {}): JourneyRun => ({
  runId,
  journeyId: 'payment-reminder',
  customerId: 'c-1',
  subjectId: 'INV-1',
  executionArn: `arn:${runId}`,
  status: 'running',
  startedAt: '2026-12-01T07:00:00.000Z',
  ...fields,
});

/** The customer's runs and the holds put on them, in memory. */
function ports(runs: JourneyRun[]) {
  const holds = new Map<string, Hold>();
  return {
    holds,
    deps: {
      runs: { listRuns: async () => runs, getRun: async () => undefined },
      holds: {
        putHold: async (_customerId: string, hold: Hold) => void holds.set(hold.runId ?? 'pause', hold),
        removeHold: async (_customerId: string, runId?: string) => void holds.delete(runId ?? 'pause'),
      },
    },
  };
}

const now = new Date('2026-12-01T10:00:00Z');
const until = new Date('2026-12-19T00:00:00Z');

describe('pausing the payment reminders about an invoice', () => {
  it('holds only the running payment reminders about that invoice, with the reason a step defers with', async () => {
    const { deps, holds } = ports([
      run('about-it'),
      run('other-invoice', { subjectId: 'INV-2' }),
      run('ended', { status: 'completed' }),
      run('onboarding', { journeyId: 'onboarding' }),
    ]);
    const held = await pauseRemindersUntil(
      deps,
      'c-1',
      'INV-1',
      until,
      {
        kind: 'promise-to-pay',
        by: 'agent-anna',
        promisedDate: '2026-12-16',
      },
      now,
    );
    expect(held.map((r) => r.runId)).toEqual(['about-it']);
    expect([...holds.keys()]).toEqual(['about-it']);
    expect(holdNow([...holds.values()], 'about-it', now)).toEqual({
      until,
      reason: `waits for the promise to pay on 2026-12-16 recorded by a person (agent-anna), until ${until.toISOString()}`,
    });
    expect(holdNow([...holds.values()], 'other-invoice', now)).toBeUndefined();
  });

  it('lifts those holds again on resume, leaving nothing that keeps the run back', async () => {
    const { deps, holds } = ports([run('about-it')]);
    await pauseRemindersUntil(deps, 'c-1', 'INV-1', until, { kind: 'dispute', by: 'agent-anna' }, now);
    expect(holdNow([...holds.values()], 'about-it', now)).toBeDefined();
    const resumed = await resumeReminders(deps, 'c-1', 'INV-1');
    expect(resumed.map((r) => r.runId)).toEqual(['about-it']);
    expect(holdNow([...holds.values()], 'about-it', now)).toBeUndefined();
  });
});
