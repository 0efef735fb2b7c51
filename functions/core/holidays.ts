// Public holidays come from a table generated from date-holidays for the policy's countries
// (`npm run holidays`, checked by test/unit/core/public-holidays-data.test.ts). The library itself
// (all countries, moment-timezone, astronomy: ~1.4 MB minified) stays out of the Lambda bundles,
// and so does the table (77 KB): it ships as a file beside the bundle, and the adapter that reads it
// once per container (`functions/adapters/holiday-table.ts`) hands it to `holidayCalendarsOf`.
import { DAY_MS } from './local-time.ts';

interface CountryTable {
  names: string[];
  national: Record<string, string>;
  regions: Record<string, Record<string, { add?: string; remove?: string }>>;
}

/** The generated table (`npm run holidays`): per country its names, national days and regional changes. */
export interface HolidayTable {
  firstYear: number;
  lastYear: number;
  countries: Record<string, CountryTable>;
}

export interface HolidayCalendar {
  country: string;
  /** The subdivision whose holidays are included, or null for the national list only. */
  region: string | null;
  /** Returns the English name of the public holiday on a local date (`YYYY-MM-DD`), or null. */
  publicHolidayOn(isoDate: string): string | null;
  /** Returns the name of the public holiday on a local day (days since 1970-01-01), or null. */
  holidayOnDay(day: number): string | null;
  /** Returns whether the table covers this year (outside it no day is known as a holiday). */
  coversYear(year: number): boolean;
}

function dayOf(year: number, mmdd: string): number {
  return Date.UTC(year, Number(mmdd.slice(0, 2)) - 1, Number(mmdd.slice(2, 4))) / DAY_MS;
}

/** Returns the days and names of one (country, region), decoded once. */
function decode(data: CountryTable, region: string | null): Map<number, string> {
  const days = new Map<number, string>();
  const add = (year: number, entries: string | undefined) => {
    if (!entries) return;
    for (const entry of entries.split(' ')) {
      const [mmdd = '', index = ''] = entry.split(':');
      days.set(dayOf(year, mmdd), data.names[Number(index)] ?? 'public holiday');
    }
  };
  for (const [year, entries] of Object.entries(data.national)) add(Number(year), entries);
  const regional = region ? data.regions[region] : undefined;
  for (const [year, diff] of Object.entries(regional ?? {})) {
    for (const mmdd of diff.remove?.split(' ') ?? []) days.delete(dayOf(Number(year), mmdd));
    add(Number(year), diff.add);
  }
  return days;
}

/**
 * Returns the public-holiday calendar of a country (ISO 3166-1 alpha-2) with the holidays of the
 * customer's region when the table knows it (`BY` or `DE-BY`); null for a country outside the table.
 */
export type HolidayCalendarLookup = (country: string, region?: string) => HolidayCalendar | null;

/** Returns the calendar lookup of a holiday table; each (country, region) is decoded once, on first use. */
export function holidayCalendarsOf(table: HolidayTable): HolidayCalendarLookup {
  const calendars = new Map<string, HolidayCalendar | null>();
  return (country, region) => {
    const key = region ? `${country}/${region}` : country;
    const known = calendars.get(key);
    if (known !== undefined) return known;
    const data = table.countries[country];
    let calendar: HolidayCalendar | null = null;
    if (data) {
      const code = region?.toUpperCase().replace(`${country}-`, '');
      const usedRegion = code && Object.hasOwn(data.regions, code) ? code : null;
      // Regions without a difference from the national list are not stored; they are known all the same.
      const days = decode(data, usedRegion);
      calendar = {
        country,
        region: usedRegion,
        publicHolidayOn: (isoDate) =>
          days.get(dayOf(Number(isoDate.slice(0, 4)), isoDate.slice(5, 7) + isoDate.slice(8, 10))) ?? null,
        holidayOnDay: (day) => days.get(day) ?? null,
        coversYear: (year) => year >= table.firstYear && year <= table.lastYear,
      };
    }
    calendars.set(key, calendar);
    return calendar;
  };
}
