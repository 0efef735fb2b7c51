/**
 * `npm run holidays`: writes `functions/core/data/public-holidays.json`, the public holidays of
 * the policy's countries from last year to ten years ahead, from date-holidays. Run it after
 * changing the countries of `templates/policy.json` or upgrading date-holidays; the data test
 * says when it is due.
 */
import { writeFileSync } from 'node:fs';
import { loadPolicy } from '#adapters/policy-file.ts';
import {
  buildHolidayTable,
  HOLIDAY_TABLE_FILE,
  HOLIDAY_YEARS_AHEAD,
  policyCountries,
} from './public-holiday-table.ts';

const year = new Date().getUTCFullYear();
const countries = policyCountries(loadPolicy());
const table = buildHolidayTable(countries, year - 1, year + HOLIDAY_YEARS_AHEAD);
writeFileSync(HOLIDAY_TABLE_FILE, `${JSON.stringify(table, null, 2)}\n`);
console.log(
  `wrote public holidays of ${countries.join(', ')} for ${year - 1}-${year + HOLIDAY_YEARS_AHEAD} (${table.source}) to ${HOLIDAY_TABLE_FILE}`,
);
