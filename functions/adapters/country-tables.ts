/**
 * The country tables a step's decision reads (`functions/core/country-tables.ts`), each from its data
 * file, read once per container at init. A function that needs only the holidays (a journey's start)
 * imports `holiday-table.ts` alone, and so reads only that file.
 */
import type { CountryTables } from '#core/country-tables.ts';
import { holidayCalendarFor } from './holiday-table.ts';
import { isMobileNumber } from './mobile-number-table.ts';

export const countryTables: CountryTables = { holidayCalendarFor, isMobileNumber };
