/**
 * The luxon-free date code (`iso-time.ts`, the render date filters, schedule days, appointment
 * times) gives what luxon gives: luxon stays a dev-only oracle here.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { appointmentTimesOf } from '#core/appointment-times.ts';
import { parseIso } from '#core/iso-time.ts';
import { compileLiquid } from '#core/liquid/compile.ts';
import { KLANTREIS_FILTERS } from '#core/render.ts';
import { dueWindowOf, runDayOf } from '#core/schedule.ts';

const RUNS = 2_000;
const ZONES = [
  'Europe/Amsterdam',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'UTC',
];
const LOCALES = ['nl-NL', 'nl-BE', 'de-DE', 'fr-FR', 'en-GB', 'en-US'];

/** Instants between 1990 and 2060, to the second (DST changes included). */
const instantArb = fc.integer({ min: 631_152_000, max: 2_840_140_800 }).map((s) => s * 1000);
const offsetArb = fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15);

/** Returns the instant written with an offset of `minutes`, as an API caller would: `…T10:30:00+05:45`. */
function written(utcMs: number, minutes: number): string {
  const wall = new Date(utcMs + minutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(minutes);
  const sign = minutes < 0 ? '-' : '+';
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

describe('ISO dates without luxon', () => {
  it('parses what luxon parses, to the same instant, and rejects what it rejects', () => {
    fc.assert(
      fc.property(instantArb, offsetArb, (utcMs, minutes) => {
        const iso = written(utcMs, minutes);
        expect(parseIso(iso)?.utcMs).toBe(DateTime.fromISO(iso, { setZone: true }).toMillis());
      }),
      { numRuns: RUNS },
    );
    for (const bad of ['2026-02-30', '2026-13-01', '2026-12-01T25:00:00Z', 'tomorrow', '']) {
      expect(parseIso(bad), bad).toBeNull();
      expect(DateTime.fromISO(bad, { setZone: true }).isValid, bad).toBe(false);
    }
  });

  it('derives the same appointment reminder day, reminder deadline and follow-up moment as luxon did', () => {
    fc.assert(
      fc.property(instantArb, offsetArb, (utcMs, minutes) => {
        const startsAt = written(utcMs, minutes);
        const start = DateTime.fromISO(startsAt, { setZone: true });
        expect(appointmentTimesOf(startsAt)).toEqual({
          startsAt,
          reminderOn: start.minus({ days: 1 }).toISODate(),
          remindBy: start.minus({ hours: 2 }).toUTC().toISO({ suppressMilliseconds: true }),
          followUpAt: start.plus({ hours: 4 }).toUTC().toISO({ suppressMilliseconds: true }),
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('gives a scheduled run the same day and due window as luxon did', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 400 }),
        (utcMs, zone, daysOverdue, lookbackDays) => {
          const runDay = runDayOf(new Date(utcMs), zone);
          expect(runDay).toBe(DateTime.fromMillis(utcMs, { zone }).toISODate());
          const to = DateTime.fromISO(runDay, { zone: 'UTC' }).minus({ days: daysOverdue });
          expect(
            dueWindowOf(runDay, { daysOverdue, lookbackDays } as Parameters<typeof dueWindowOf>[1]),
          ).toEqual({
            from: to.minus({ days: lookbackDays }).toISODate(),
            to: to.toISODate(),
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('renders the date and datetime filters as luxon formatted them, in the customer zone and locale', () => {
    const template = compileLiquid('{{ at | date }}|{{ at | datetime }}|{{ day | date }}', {
      escape: false,
      filters: KLANTREIS_FILTERS,
    });
    const samples = fc.sample(
      fc.tuple(instantArb, offsetArb, fc.constantFrom(...ZONES, undefined), fc.constantFrom(...LOCALES)),
      { numRuns: 300, seed: 8 },
    );
    const plain = (text: string) => text.replace(/[\u00A0\u202F]/g, ' ');
    for (const [utcMs, minutes, timezone, locale] of samples) {
      const at = written(utcMs, minutes);
      const day = at.slice(0, 10);
      const moment = DateTime.fromISO(at, { zone: 'utc', setZone: true });
      const shown = (timezone ? moment.setZone(timezone) : moment).setLocale(locale);
      const expected = [
        shown.toLocaleString(DateTime.DATE_FULL),
        shown.toLocaleString({ ...DateTime.DATE_FULL, hour: '2-digit', minute: '2-digit' }),
        DateTime.fromISO(day, { zone: 'utc', setZone: true })
          .setLocale(locale)
          .toLocaleString(DateTime.DATE_FULL),
      ].map(plain);
      const globals = { locale, ...(timezone ? { timezone } : {}) };
      expect(template({ at, day }, globals), `${at} ${timezone} ${locale}`).toBe(expected.join('|'));
    }
  });
});
