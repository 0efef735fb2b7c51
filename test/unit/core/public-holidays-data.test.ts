import { readFileSync } from 'node:fs';
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import {
  buildHolidayTable,
  HOLIDAY_TABLE_FILE,
  type HolidayTable,
  policyCountries,
} from '#infra/cli/public-holiday-table.ts';

const stored = JSON.parse(readFileSync(HOLIDAY_TABLE_FILE, 'utf8')) as HolidayTable;
const STALE = 'functions/core/data/public-holidays.json is stale: run `npm run holidays` and commit the file';

describe('the public-holiday table the decision core ships', () => {
  it('is exactly what date-holidays gives for the policy countries (regenerate with npm run holidays)', () => {
    const fresh = buildHolidayTable(policyCountries(loadPolicy()), stored.firstYear, stored.lastYear);
    expect(stored, STALE).toEqual(fresh);
  });

  it('covers at least the next five years', () => {
    expect(stored.lastYear, STALE).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 5);
    expect(stored.firstYear).toBeLessThanOrEqual(new Date().getUTCFullYear());
  });

  it('answers like date-holidays itself, nationally and per region', () => {
    const cases: Array<[string, string | undefined]> = [
      ['NL', undefined],
      ['DE', 'BY'],
      ['DE', 'BE'],
      ['US', 'CA'],
      ['GB', 'SCT'],
      ['CH', 'ZH'],
    ];
    for (const [country, region] of cases) {
      const library = region
        ? new Holidays(country, region, { types: ['public'] })
        : new Holidays(country, { types: ['public'] });
      const calendar = holidayCalendarFor(country, region);
      for (const year of [2026, 2027]) {
        // The library's local dates (`2026-04-27 00:00:00`), independent of the machine's time zone.
        const expected = library
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10))
          .sort();
        const found: string[] = [];
        for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
          const isoDate = new Date(t).toISOString().slice(0, 10);
          if (calendar?.publicHolidayOn(isoDate)) found.push(isoDate);
        }
        expect(found, `${country}/${region ?? ''} ${year}`).toEqual([...new Set(expected)]);
      }
    }
  });

  it('accepts a region with its country prefix, and says when it does not know one', () => {
    expect(holidayCalendarFor('DE', 'DE-BY')?.publicHolidayOn('2027-01-06')).toBe('Epiphany');
    expect(holidayCalendarFor('DE', 'XX')?.region).toBeNull();
    expect(holidayCalendarFor('NL', 'NH')?.region).toBe('NH');
    expect(holidayCalendarFor('JP')).toBeNull();
  });
});
