/** The mobile-number check of this container, over libphonenumber-js's metadata file read once, at init. */
import { mobileNumberChecker, type PhoneMetadata } from '#core/mobile-number.ts';
import { readDataFile } from './data-file.ts';

export const isMobileNumber: (phone: string) => boolean = mobileNumberChecker(
  readDataFile('phone-metadata.mobile.json') as PhoneMetadata,
);
