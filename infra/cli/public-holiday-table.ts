/**
 * Builds the public-holiday table the decision core ships (`functions/core/data/public-holidays.json`)
 * from date-holidays, for the countries the communication policy serves. date-holidays itself
 * (all countries' rules, moment-timezone and astronomy code: ~1.4 MB minified) then stays out
 * of the Lambda bundles; `test/unit/core/public-holidays-data.test.ts` rebuilds the table and
 * fails when it is stale (another date-holidays version, another policy, a year run out).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';
import type { Policy } from '#core/policy.ts';
import { repoRoot } from '../constructs/repo-root.ts';

/** The table as stored: per country the holiday names and, per year, the holidays as `MMDD:<name index>`. */
export interface HolidayTable {
  source: string;
  firstYear: number;
  lastYear: number;
  countries: Record<string, CountryHolidays>;
}

export interface CountryHolidays {
  names: string[];
  /** Year -> space-separated `MMDD:<name index>` of the national public holidays. */
  national: Record<string, string>;
  /** Subdivision (date-holidays state code) -> year -> what differs from the national list. */
  regions: Record<string, Record<string, { add?: string; remove?: string }>>;
}

/** Where the core reads the table from. */
export const HOLIDAY_TABLE_FILE = join(repoRoot, 'functions/core/data/public-holidays.json');

/** Years ahead of the current one the table must cover; the data test fails when fewer are left. */
export const HOLIDAY_YEARS_AHEAD = 10;

/** Returns the countries a policy serves: those with a main time zone, an SMS price or a segment rule. */
export function policyCountries(policy: Policy): string[] {
  const countries = new Set<string>(Object.keys(policy.countryTimezones));
  for (const country of Object.keys(policy.channelCosts.sms.byCountry)) countries.add(country);
  for (const segment of policy.segments)
    for (const country of segment.when.countries ?? []) countries.add(country);
  return [...countries].sort();
}

/** Returns the installed date-holidays version, recorded in the table so an upgrade shows as a stale table. */
function dateHolidaysVersion(): string {
  const manifest = JSON.parse(
    readFileSync(join(repoRoot, 'node_modules/date-holidays/package.json'), 'utf8'),
  );
  return String(manifest.version);
}

/** Returns each public-holiday date (`YYYY-MM-DD`) of a year with its English name; multi-day holidays give every day. */
function publicDays(rules: Holidays, year: number): Map<string, string> {
  const days = new Map<string, string>();
  for (const holiday of rules.getHolidays(year)) {
    if (holiday.type !== 'public') continue;
    const first = holiday.date.slice(0, 10);
    const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000));
    for (let i = 0; i < length; i++) {
      const day = new Date(`${first}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() + i);
      const iso = day.toISOString().slice(0, 10);
      // Only days of this year: the next year's table lists the rest of a holiday that runs over.
      if (iso.startsWith(String(year)) && !days.has(iso)) days.set(iso, holiday.name);
    }
  }
  return days;
}

/** Returns the table for the countries and years, deterministic for one date-holidays version. */
export function buildHolidayTable(
  countries: readonly string[],
  firstYear: number,
  lastYear: number,
): HolidayTable {
  const all = new Holidays();
  const known = all.getCountries();
  const table: HolidayTable = {
    source: `date-holidays ${dateHolidaysVersion()}`,
    firstYear,
    lastYear,
    countries: {},
  };
  for (const country of countries) {
    if (!(country in known)) continue;
    const names: string[] = [];
    const nameIndex = (name: string) => {
      let i = names.indexOf(name);
      if (i < 0) i = names.push(name) - 1;
      return i;
    };
    const encode = (entries: Array<[string, string]>) =>
      entries
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([iso, name]) => `${iso.slice(5, 7)}${iso.slice(8, 10)}:${nameIndex(name)}`)
        .join(' ');
    const options = { languages: ['en'], types: ['public' as const] };
    const nationalRules = new Holidays(country, options);
    const national: Record<string, string> = {};
    const nationalDays = new Map<number, Map<string, string>>();
    for (let year = firstYear; year <= lastYear; year++) {
      const days = publicDays(nationalRules, year);
      nationalDays.set(year, days);
      national[year] = encode([...days]);
    }
    const regions: CountryHolidays['regions'] = {};
    for (const region of Object.keys(all.getStates(country) ?? {}).sort()) {
      const rules = new Holidays(country, region, options);
      const perYear: Record<string, { add?: string; remove?: string }> = {};
      for (let year = firstYear; year <= lastYear; year++) {
        const days = publicDays(rules, year);
        const base = nationalDays.get(year) ?? new Map<string, string>();
        const add = [...days].filter(([iso, name]) => base.get(iso) !== name);
        const remove = [...base.keys()].filter((iso) => !days.has(iso));
        if (add.length === 0 && remove.length === 0) continue;
        perYear[year] = {
          ...(add.length > 0 ? { add: encode(add) } : {}),
          ...(remove.length > 0
            ? {
                remove: remove
                  .sort()
                  .map((iso) => iso.slice(5, 7) + iso.slice(8, 10))
                  .join(' '),
              }
            : {}),
        };
      }
      // Listed even without differences, so a region the table knows is never mistaken for an unknown one.
      regions[region] = perYear;
    }
    table.countries[country] = { names, national, regions };
  }
  return table;
}
