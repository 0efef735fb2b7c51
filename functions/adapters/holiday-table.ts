/** The public-holiday calendars of this container, decoded from the table file read once, at init. */
import { type HolidayCalendarLookup, type HolidayTable, holidayCalendarsOf } from '#core/holidays.ts';
import { readDataFile } from './data-file.ts';

export const holidayCalendarFor: HolidayCalendarLookup = holidayCalendarsOf(
  readDataFile('public-holidays.json') as HolidayTable,
);
