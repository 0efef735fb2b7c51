/**
 * Whether an E.164 number is a valid mobile number: the answer libphonenumber-js gives
 * (`parsePhoneNumberFromString(phone, mobileMetadata)?.isValid()`), computed from the same metadata
 * file without the library's 38 KB of parsing and formatting code in the send path's bundle. For a
 * `+<digits>` string the library's parse and `isValid()` come down to the steps below (calling code,
 * national prefix, the country among those sharing the code, the number's type), each named after
 * the library function it follows. `test/property/mobile-number.test.ts` checks both give the same
 * answer for every example number of every country, their variations and random numbers under
 * every calling code; the metadata's layout version is checked when it is loaded.
 */

/** A number type: its pattern and, when they differ from the plan's, its possible lengths. */
type NumberType = [pattern: string, possibleLengths?: number[]];

/**
 * A numbering plan in libphonenumber-js's metadata layout version 4 (its `metadata.js` accessors);
 * `0` marks an absent entry.
 */
type Plan = [
  callingCode: string,
  iddPrefix: unknown,
  nationalNumberPattern: string,
  possibleLengths?: number[] | 0,
  formats?: unknown,
  nationalPrefix?: string | 0,
  nationalPrefixFormattingRule?: unknown,
  nationalPrefixForParsing?: string | 0,
  nationalPrefixTransformRule?: string | 0,
  nationalPrefixIsOptionalWhenFormatting?: unknown,
  leadingDigits?: string | 0,
  types?: Array<NumberType | 0> | 0,
];

/** libphonenumber-js's metadata JSON (`metadata.mobile.json`), layout version 4. */
export interface PhoneMetadata {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, Plan>;
  nonGeographic?: Record<string, Plan>;
}

const METADATA_LAYOUT = 4;
/** libphonenumber-js's `constants.js`. */
const MAX_LENGTH_COUNTRY_CODE = 3;
const MIN_LENGTH_FOR_NSN = 2;
const MAX_LENGTH_FOR_NSN = 17;
/** Indices of `types`: FIXED_LINE 0, MOBILE 1, TOLL_FREE 2, … SHARED_COST 9 (`getType()`). */
const TYPE_INDICES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

const compiled = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(source);
    compiled.set(source, re);
  }
  return re;
}

/** `matchesEntirely()`. */
const matchesEntirely = (text: string, pattern: string) => regex(`^(?:${pattern})$`).test(text);

/** Returns a checker for the metadata: is this E.164 number a valid mobile number? Throws on an unknown layout. */
export function mobileNumberChecker(metadata: PhoneMetadata): (phone: string) => boolean {
  if (metadata.version !== METADATA_LAYOUT) {
    throw new Error(`phone metadata: layout version ${metadata.version}, expected ${METADATA_LAYOUT}`);
  }

  /** `getCountryCodesForCallingCode()`: the countries sharing a calling code, main country first. */
  const countriesOf = (callingCode: string): string[] | undefined => {
    const countries = metadata.country_calling_codes[callingCode];
    if (!countries || (countries.length === 1 && countries[0]?.length === 3)) return undefined;
    return countries;
  };

  /** `getNumberingPlanMetadata()`: the calling code's main country's plan, or its non-geographic one. */
  const planOfCallingCode = (callingCode: string): Plan | undefined => {
    const main = countriesOf(callingCode)?.[0];
    return main ? metadata.countries[main] : metadata.nonGeographic?.[callingCode];
  };

  const typeOf = (plan: Plan, index: number): NumberType | undefined => {
    const types = plan[11];
    if (!types || types.length === 0) return undefined;
    return types[index] || undefined;
  };

  /** `isNumberTypeEqualTo()`. */
  const isOfType = (nationalNumber: string, index: number, plan: Plan): boolean => {
    const type = typeOf(plan, index);
    if (!type?.[0]) return false;
    const lengths = type[1] || plan[3];
    if (lengths && !lengths.includes(nationalNumber.length)) return false;
    return matchesEntirely(nationalNumber, type[0]);
  };

  /** `getNumberType() !== undefined`: the number matches the plan and one of its types. */
  const hasType = (nationalNumber: string, plan: Plan): boolean =>
    matchesEntirely(nationalNumber, plan[2]) && TYPE_INDICES.some((i) => isOfType(nationalNumber, i, plan));

  /** `getCountryByCallingCode()` with `getCountryByNationalNumber()`. */
  const countryOf = (callingCode: string, nationalNumber: string): string | undefined => {
    const countries = countriesOf(callingCode);
    if (!countries) return undefined;
    if (countries.length === 1) return countries[0];
    for (const country of countries) {
      const plan = metadata.countries[country];
      if (!plan) continue;
      const leadingDigits = plan[10];
      if (leadingDigits) {
        if (nationalNumber.search(regex(leadingDigits)) === 0) return country;
      } else if (hasType(nationalNumber, plan)) {
        return country;
      }
    }
    return undefined;
  };

  /** `checkNumberLength()` is neither TOO_SHORT nor INVALID_LENGTH (`isPossibleIncompleteNationalNumber()`). */
  const isPossibleIncomplete = (nationalNumber: string, plan: Plan): boolean => {
    const lengths = plan[3];
    if (!lengths) return true;
    const length = nationalNumber.length;
    const [shortest] = lengths;
    if (shortest === undefined || shortest === length) return true;
    if (shortest > length) return false;
    if ((lengths.at(-1) ?? 0) < length) return true;
    return lengths.indexOf(length, 1) >= 0;
  };

  /** `extractNationalNumberFromPossiblyIncompleteNumber()`: the number without its national prefix. */
  const withoutNationalPrefix = (number: string, plan: Plan): string => {
    const prefix = plan[7] || plan[5];
    if (!number || !prefix) return number;
    const pattern = regex(`^(?:${prefix})`);
    const match = pattern.exec(number);
    if (!match) return number;
    const groups = match.length - 1;
    const transform = plan[8];
    if (transform && groups > 0 && match[groups]) return number.replace(pattern, transform);
    return number.slice(match[0].length);
  };

  /** `extractNationalNumber()`: strips a national prefix only where the library would. */
  const nationalNumberOf = (number: string, plan: Plan, callingCode: string): string => {
    const stripped = withoutNationalPrefix(number, plan);
    if (stripped === number) return number;
    // `shouldHaveExtractedNationalPrefix()`
    if (matchesEntirely(number, plan[2]) && !matchesEntirely(stripped, plan[2])) return number;
    if (plan[3]) {
      const country = countryOf(callingCode, stripped);
      const countryPlan = country ? metadata.countries[country] : plan;
      if (countryPlan && !isPossibleIncomplete(stripped, countryPlan)) return number;
    }
    return stripped;
  };

  return (phone: string): boolean => {
    if (!/^\+[1-9]\d*$/.test(phone)) return false;
    const digits = phone.slice(1);
    // `extractCountryCallingCode()`: the shortest prefix that is a known calling code.
    let callingCode: string | undefined;
    for (let i = 1; i <= MAX_LENGTH_COUNTRY_CODE && i <= digits.length; i += 1) {
      const candidate = digits.slice(0, i);
      if (countriesOf(candidate) || metadata.nonGeographic?.[candidate]) {
        callingCode = candidate;
        break;
      }
    }
    if (!callingCode) return false;
    const plan = planOfCallingCode(callingCode);
    if (!plan) return false;
    const nationalNumber = nationalNumberOf(digits.slice(callingCode.length), plan, callingCode);
    if (nationalNumber.length < MIN_LENGTH_FOR_NSN || nationalNumber.length > MAX_LENGTH_FOR_NSN)
      return false;
    // `isValidNumber()`: against the number's own country when one is found, else the calling code's plan.
    const country = countryOf(callingCode, nationalNumber);
    const numberPlan = (country && metadata.countries[country]) || plan;
    const types = numberPlan[11];
    if (types && types.length > 0) return hasType(nationalNumber, numberPlan);
    return matchesEntirely(nationalNumber, numberPlan[2]);
  };
}
