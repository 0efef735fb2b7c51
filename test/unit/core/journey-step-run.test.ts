import { describe, expect, it } from 'vitest';
import { busyWakeAt, failureNameOf } from '#core/journey-step-run.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

describe('busyWakeAt: a send refused by the account’s rate comes back a little later, spread', () => {
  it('waits between 1 s and 31 s on the first busy visit, doubling the window per visit up to 15 min', () => {
    for (const [visits, window] of [
      [1, 30_000],
      [2, 60_000],
      [3, 120_000],
      [10, 900_000],
    ] as const) {
      for (let run = 0; run < 200; run++) {
        const delay = busyWakeAt(`run-${run}#first-reminder`, visits, NOW).getTime() - NOW.getTime();
        expect(delay).toBeGreaterThanOrEqual(1_000);
        expect(delay).toBeLessThan(1_000 + window);
      }
    }
  });

  it('spreads a herd of refused runs over the window (no two seconds hold more than a few)', () => {
    const perSecond = new Map<number, number>();
    for (let run = 0; run < 300; run++) {
      const second = Math.floor(busyWakeAt(`run-${run}#welcome`, 1, NOW).getTime() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(perSecond.size).toBeGreaterThanOrEqual(25);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(25);
  });

  it('is deterministic per run, step and visit', () => {
    expect(busyWakeAt('r#s', 2, NOW)).toEqual(busyWakeAt('r#s', 2, NOW));
  });
});

describe('failureNameOf', () => {
  it('keeps an error code name and drops anything that could carry text', () => {
    expect(failureNameOf({ Error: 'Klantreis.ProviderUnavailable' })).toBe('Klantreis.ProviderUnavailable');
    expect(failureNameOf({ Error: 'failed for jan@example.nl' })).toBe('unknown error');
    expect(failureNameOf(undefined)).toBe('unknown error');
  });
});
