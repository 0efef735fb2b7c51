/**
 * The per-country reference tables a step's decision reads: the public holidays of the customer's
 * country and region (the slot), and the numbering plans that tell a mobile number (the channel).
 * Their data ships as files beside the bundle; the adapters read them once per container
 * (`functions/adapters/country-tables.ts`) and hand them in, so the core reads no files.
 */
import type { HolidayCalendarLookup } from './holidays.ts';

export interface CountryTables {
  holidayCalendarFor: HolidayCalendarLookup;
  /** Whether an E.164 number is a valid mobile number (`mobile-number.ts`). */
  isMobileNumber(phone: string): boolean;
}
