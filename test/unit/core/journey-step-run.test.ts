import { describe, expect, it } from 'vitest';
import { busyWakeAt, failureNameOf } from '#core/journey-step-run.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

describe('busyWakeAt: a send refused by the account’s rate (or a throttled provider) comes back later, spread', () => {
  it('waits between one and fifteen minutes', () => {
    for (let run = 0; run < 500; run++) {
      const delay = busyWakeAt(`run-${run}#first-reminder`, NOW).getTime() - NOW.getTime();
      expect(delay).toBeGreaterThanOrEqual(60_000);
      expect(delay).toBeLessThan(15 * 60_000);
    }
  });

  it('spreads a herd of refused runs over the window (no minute holds more than a few)', () => {
    const perMinute = new Map<number, number>();
    for (let run = 0; run < 300; run++) {
      const minute = Math.floor(busyWakeAt(`run-${run}#welcome`, NOW).getTime() / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect(perMinute.size).toBeGreaterThanOrEqual(13);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(45);
  });

  it('is deterministic per run, step and moment, and differs when refused again later', () => {
    expect(busyWakeAt('r#s', NOW)).toEqual(busyWakeAt('r#s', NOW));
    const later = new Date(NOW.getTime() + 120_000);
    const offsets = new Set(
      Array.from({ length: 20 }, (_, i) => {
        const at = new Date(later.getTime() + i * 1_000);
        return busyWakeAt('r#s', at).getTime() - at.getTime();
      }),
    );
    expect(offsets.size).toBeGreaterThan(15);
  });
});

describe('failureNameOf', () => {
  it('keeps an error code name and drops anything that could carry text', () => {
    expect(failureNameOf({ Error: 'Klantreis.ProviderUnavailable' })).toBe('Klantreis.ProviderUnavailable');
    expect(failureNameOf({ Error: 'failed for jan@example.nl' })).toBe('unknown error');
    expect(failureNameOf(undefined)).toBe('unknown error');
  });
});
