/**
 * The days a statutory term may not end on in the Netherlands: Saturdays, Sundays and the "algemeen
 * erkende feestdagen" of the Algemene termijnenwet (Atw). Art. 3 lid 1: New Year's Day, Easter
 * Monday, Whit Monday, both Christmas days, Ascension Day, the day the King's birthday is celebrated
 * (27 April; 26 April when the 27th is a Sunday) and 5 May; lid 2: Good Friday; lid 3: days the
 * government equates by decree (published in the Staatscourant, usually bridge days such as the Friday
 * after Ascension), which the policy lists (`collection.<country>.equatedDays`). This is not the
 * public-holiday table (`./holidays.ts`): the Atw's list is its own (5 May every year, Good Friday).
 */
import { DAY_MS, isoDateOfDay, weekdayOfDay } from './local-time.ts';

/** Returns the day count since 1970-01-01 of an ISO date. */
export function dayOfIsoDate(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

/** Returns Easter Sunday's day count of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easterDay(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, date) / DAY_MS;
}

/** Returns the Atw's recognised holidays of a year, by day count, with their names. */
function atwHolidays(year: number): Map<number, string> {
  const on = (month: number, date: number) => Date.UTC(year, month - 1, date) / DAY_MS;
  const easter = easterDay(year);
  const kingsDay = weekdayOfDay(on(4, 27)) === 7 ? on(4, 26) : on(4, 27);
  return new Map([
    [on(1, 1), "New Year's Day"],
    [easter - 2, 'Good Friday'],
    [easter + 1, 'Easter Monday'],
    [kingsDay, "King's Day"],
    [on(5, 5), 'Liberation Day (5 May)'],
    [easter + 39, 'Ascension Day'],
    [easter + 50, 'Whit Monday'],
    [on(12, 25), 'Christmas Day'],
    [on(12, 26), 'Second Day of Christmas'],
  ]);
}

const holidaysByYear = new Map<number, Map<number, string>>();

/**
 * Returns why a statutory term may not end on the day (`Saturday`, `Sunday`, the holiday's name,
 * `a day equated with a holiday`), or null when it may. `equatedDays` are ISO dates (Atw art. 3 lid 3).
 */
export function dutchNonTermDay(day: number, equatedDays: readonly string[] = []): string | null {
  const weekday = weekdayOfDay(day);
  if (weekday === 6) return 'Saturday';
  if (weekday === 7) return 'Sunday';
  const isoDate = isoDateOfDay(day);
  const year = Number(isoDate.slice(0, 4));
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = atwHolidays(year);
    holidaysByYear.set(year, holidays);
  }
  const holiday = holidays.get(day);
  if (holiday) return holiday;
  return equatedDays.includes(isoDate) ? 'a day equated with a holiday (Atw art. 3 lid 3)' : null;
}
