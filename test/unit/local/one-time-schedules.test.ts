import { afterEach, describe, expect, it } from 'vitest';
import { LocalOneTimeSchedules } from '#infra/local/one-time-schedules.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';

const START = new Date('2026-12-01T10:00:00Z');
const MINUTE = 60_000;

// Real time stands still: only moving the simulated world on can make a schedule due.
function setup(target: (input: unknown) => Promise<unknown> = async (input) => ({ ran: input })) {
  const clock = new SimulatedClock(START, () => 0);
  const schedules = new LocalOneTimeSchedules(clock, target);
  return { clock, schedules };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('local one-time schedules', () => {
  it('run once world time reaches them, not before, each once, and are gone afterwards', async () => {
    const { clock, schedules } = setup();
    stop = () => schedules.stop();
    await schedules.scheduleSecondPass('c-2', new Date(START.getTime() + 20 * MINUTE));
    await schedules.scheduleSecondPass('c-1', new Date(START.getTime() + 16 * MINUTE));

    clock.advanceWorld(15 * MINUTE);
    await schedules.whenIdle();
    expect(schedules.runs).toEqual([]);
    expect(schedules.pending().map((s) => s.input)).toEqual([{ customerId: 'c-1' }, { customerId: 'c-2' }]);

    clock.advanceWorld(MINUTE);
    await schedules.whenIdle();
    expect(schedules.runs).toEqual([
      {
        at: new Date(START.getTime() + 16 * MINUTE),
        input: { customerId: 'c-1' },
        ranAt: new Date(START.getTime() + 16 * MINUTE),
        outcome: 'succeeded',
        result: { ran: { customerId: 'c-1' } },
      },
    ]);

    clock.advanceWorld(60 * MINUTE);
    await schedules.whenIdle();
    expect(schedules.runs.map((r) => r.input)).toEqual([{ customerId: 'c-1' }, { customerId: 'c-2' }]);
    expect(schedules.pending()).toEqual([]);
  });

  it('records a run that failed by its error name, as the scheduler’s dead letters would keep it', async () => {
    const { clock, schedules } = setup(async () => {
      const error = new Error('table unavailable');
      error.name = 'ProvisionedThroughputExceededException';
      throw error;
    });
    stop = () => schedules.stop();
    await schedules.scheduleSecondPass('c-1', new Date(START.getTime() + MINUTE));
    clock.advanceWorld(MINUTE);
    await schedules.whenIdle();
    expect(schedules.runs).toEqual([
      expect.objectContaining({ outcome: 'failed', error: 'ProvisionedThroughputExceededException' }),
    ]);
  });

  it('moves world time only forwards, and leaves an execution’s own time alone', () => {
    const { clock } = setup();
    expect(() => clock.advanceWorld(-1)).toThrow('never runs backwards');
    clock.runExecution((advanceTo) => {
      advanceTo(new Date(START.getTime() + 3 * MINUTE));
      clock.advanceWorld(10 * MINUTE);
      expect(clock.now()).toEqual(new Date(START.getTime() + 3 * MINUTE));
    });
    expect(clock.worldNow()).toEqual(new Date(START.getTime() + 10 * MINUTE));
  });
});
