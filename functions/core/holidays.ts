// date-holidays is large (its all-country data and moment-timezone, ~1.5 MB minified): only
// slot.ts imports this file, so only the function that picks slots bundles it. Each country's
// rules are parsed on first use and each year's days are computed once.
import Holidays from 'date-holidays';

export interface HolidayCalendar {
  /** Returns the English name of the public holiday on a local date (`YYYY-MM-DD`), or null. */
  publicHolidayOn(isoDate: string): string | null;
}

const calendars = new Map<string, HolidayCalendar | null>();
let supportedCountries: Record<string, string> | undefined;

function buildCalendar(country: string, region: string | undefined): HolidayCalendar {
  const hasRegion = region !== undefined && region in (new Holidays().getStates(country) ?? {});
  const rules = hasRegion
    ? new Holidays(country, region, { languages: ['en'], types: ['public'] })
    : new Holidays(country, { languages: ['en'], types: ['public'] });
  const years = new Map<number, Map<string, string>>();

  const daysOf = (year: number): Map<string, string> => {
    const known = years.get(year);
    if (known) return known;
    const days = new Map<string, string>();
    for (const holiday of rules.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      // `date` is the local start ("2026-04-27 00:00:00"); a rare multi-day holiday covers more days.
      const first = holiday.date.slice(0, 10);
      const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000));
      for (let i = 0; i < length; i++) {
        const day = new Date(`${first}T00:00:00Z`);
        day.setUTCDate(day.getUTCDate() + i);
        days.set(day.toISOString().slice(0, 10), holiday.name);
      }
    }
    years.set(year, days);
    return days;
  };

  return {
    publicHolidayOn(isoDate) {
      const year = Number(isoDate.slice(0, 4));
      // A holiday of the previous year may run into this one.
      return daysOf(year).get(isoDate) ?? daysOf(year - 1).get(isoDate) ?? null;
    },
  };
}

/**
 * Returns the public-holiday calendar of a country (ISO 3166-1 alpha-2), using the region as
 * its state (ISO 3166-2 subdivision) when date-holidays knows it; null for an unknown country.
 */
export function holidayCalendarFor(country: string, region?: string): HolidayCalendar | null {
  const key = `${country}/${region ?? ''}`;
  if (calendars.has(key)) return calendars.get(key) ?? null;
  supportedCountries ??= new Holidays().getCountries();
  const calendar = country in supportedCountries ? buildCalendar(country, region) : null;
  calendars.set(key, calendar);
  return calendar;
}
