import type { BehaviourSummary } from './behaviour.ts';
import type { CustomerProfile } from './customer.ts';
import { languageOf } from './locale.ts';
import type { Policy, Segment, Tone } from './policy.ts';
import type { Reason } from './reasons.ts';

export interface SegmentDecision {
  segmentId: string;
  tone: Tone;
  reasons: Reason[];
}

/** From this many late payments in a year a customer gets the firm tone, whatever the segment. */
export const REPEAT_LATE_PAYMENTS = 2;
/** The tone a repeat late payer gets in any segment. */
export const REPEAT_LATE_PAYER_TONE: Tone = 'firm';

/** Returns the age in whole years on `now`'s UTC date (the decision date), or null without a (valid) birth date. */
export function ageOn(birthDate: string | undefined, now: Date): number | null {
  // The schema checks the format; a hand-built profile may not have, so check it without a regex (hot path).
  if (birthDate?.length !== 10 || birthDate[4] !== '-' || birthDate[7] !== '-') return null;
  const year = Number(birthDate.slice(0, 4));
  const month = Number(birthDate.slice(5, 7));
  const day = Number(birthDate.slice(8, 10));
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  const nowMonth = now.getUTCMonth() + 1;
  const nowDay = now.getUTCDate();
  // A 29 February birthday is reached on 1 March in common years.
  const beforeBirthday = nowMonth < month || (nowMonth === month && nowDay < day);
  return now.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}

const DAY_MS = 86_400_000;

/** Returns a subdivision code without its country prefix, upper-cased: `de-by` and `BY` are both `BY`. */
export function regionCode(country: string, region: string): string {
  const upper = region.toUpperCase();
  return upper.startsWith(`${country}-`) ? upper.slice(country.length + 1) : upper;
}

function regionOf(customer: CustomerProfile): string | null {
  return customer.region ? regionCode(customer.country, customer.region) : null;
}

interface RuleCheck {
  matched: boolean;
  /** Why it matched (when `matched`) or the first condition that failed. */
  because: string[];
}

/**
 * Checks the "engaged within N days" and "no engagement within N days" conditions of one channel
 * against the latest engagement on it; null when the rule has neither.
 */
function engagementCheck(
  what: string,
  engagedWithin: number | undefined,
  notEngagedWithin: number | undefined,
  lastEngagementAt: number | null | undefined,
  now: Date,
): RuleCheck | null {
  if (engagedWithin === undefined && notEngagedWithin === undefined) return null;
  const last = lastEngagementAt ?? null;
  const daysAgo = last === null ? null : Math.floor((now.getTime() - last) / DAY_MS);
  const because: string[] = [];
  if (engagedWithin !== undefined) {
    if (daysAgo === null || daysAgo >= engagedWithin) {
      return { matched: false, because: [`no ${what} in ${engagedWithin} days`] };
    }
    because.push(`${what} in the last ${engagedWithin} days`);
  }
  if (notEngagedWithin !== undefined) {
    if (daysAgo !== null && daysAgo < notEngagedWithin) {
      return { matched: false, because: [`${what} in the last ${notEngagedWithin} days`] };
    }
    because.push(`no ${what} in ${notEngagedWithin} days`);
  }
  return { matched: true, because };
}

/** Checks a "never answered" condition of one channel against its replies of the last year; null without one. */
function answeredCheck(
  channel: 'SMS' | 'email',
  neverAnswered: boolean | undefined,
  repliesLastYear: number | undefined,
): RuleCheck | null {
  if (neverAnswered === undefined) return null;
  const replies = repliesLastYear ?? 0;
  const none = `no ${channel} reply in the last year`;
  const some = `${replies} ${channel} replies in the last year`;
  if (neverAnswered && replies > 0) return { matched: false, because: [some] };
  if (!neverAnswered && replies === 0) return { matched: false, because: [none] };
  return { matched: true, because: [replies === 0 ? none : some] };
}

/** Returns whether every condition of the segment holds, and why (personal-data-free). */
function checkRule(
  segment: Segment,
  customer: CustomerProfile,
  behaviour: BehaviourSummary,
  age: number | null,
  now: Date,
): RuleCheck {
  const when = segment.when;
  const because: string[] = [];
  const fail = (why: string): RuleCheck => ({ matched: false, because: [why] });

  if (when.minAge !== undefined || when.maxAge !== undefined) {
    if (age === null) return fail('no birth date for the age condition');
    if (when.minAge !== undefined) {
      if (age < when.minAge) return fail(`age ${age} < ${when.minAge}`);
      because.push(`age ${age} >= ${when.minAge}`);
    }
    if (when.maxAge !== undefined) {
      if (age > when.maxAge) return fail(`age ${age} > ${when.maxAge}`);
      because.push(`age ${age} <= ${when.maxAge}`);
    }
  }
  if (when.countries) {
    if (!when.countries.includes(customer.country)) return fail(`country ${customer.country} not listed`);
    because.push(`country ${customer.country}`);
  }
  if (when.regions) {
    const region = regionOf(customer);
    if (!region) return fail('no region for the region condition');
    if (!when.regions.some((r) => regionCode(customer.country, r) === region)) {
      return fail(`region ${region} not listed`);
    }
    because.push(`region ${region}`);
  }
  if (when.languages) {
    const language = languageOf(customer.locale);
    if (!when.languages.includes(language)) return fail(`language ${language} not listed`);
    because.push(`language ${language}`);
  }
  if (when.attributes) {
    for (const [key, expected] of Object.entries(when.attributes)) {
      // Only the policy's expected value is named: a customer's own attribute values may be personal.
      if (customer.attributes?.[key] !== expected) return fail(`attribute ${key} is not ${String(expected)}`);
      because.push(`attribute ${key} = ${String(expected)}`);
    }
  }
  const late = behaviour.latePaymentsLastYear;
  if (when.minLatePaymentsLastYear !== undefined) {
    if (late < when.minLatePaymentsLastYear) {
      return fail(`${late} late payments in the last year < ${when.minLatePaymentsLastYear}`);
    }
    because.push(`${late} late payments in the last year >= ${when.minLatePaymentsLastYear}`);
  }
  if (when.maxLatePaymentsLastYear !== undefined) {
    if (late > when.maxLatePaymentsLastYear) {
      return fail(`${late} late payments in the last year > ${when.maxLatePaymentsLastYear}`);
    }
    because.push(`${late} late payments in the last year <= ${when.maxLatePaymentsLastYear}`);
  }
  const checks = [
    engagementCheck(
      'email opened or clicked',
      when.emailEngagedWithinDays,
      when.noEmailEngagementWithinDays,
      behaviour.lastEmailEngagementAt,
      now,
    ),
    engagementCheck(
      'SMS link clicked or SMS answered',
      when.smsEngagedWithinDays,
      when.noSmsEngagementWithinDays,
      behaviour.lastSmsEngagementAt,
      now,
    ),
    answeredCheck('SMS', when.smsNeverAnswered, behaviour.smsRepliesLastYear),
    answeredCheck('email', when.emailNeverAnswered, behaviour.emailRepliesLastYear),
  ];
  for (const check of checks) {
    if (check === null) continue;
    if (!check.matched) return check;
    because.push(...check.because);
  }
  if (because.length === 0) because.push('catch-all');
  return { matched: true, because };
}

/**
 * Returns the first segment of the policy whose conditions all hold for the customer on `now`,
 * the tone to use, and the reasons. The policy's last segment has no conditions, so one always matches.
 */
export function segmentOf(input: {
  customer: CustomerProfile;
  behaviour: BehaviourSummary;
  policy: Policy;
  now: Date;
}): SegmentDecision {
  const { customer, behaviour, policy, now } = input;
  const age = ageOn(customer.birthDate, now);
  const reasons: Reason[] = [];

  const fallback = policy.segments.at(-1);
  let chosen: Segment | undefined;
  for (const segment of policy.segments) {
    const check = checkRule(segment, customer, behaviour, age, now);
    if (check.matched) {
      reasons.push(`segment ${segment.id}: ${check.because.join(', ')}`);
      chosen = segment;
      break;
    }
    reasons.push(`segment ${segment.id} skipped: ${check.because.join(', ')}`);
  }
  // Unreachable with a validated policy (its last segment has no conditions); kept so this never throws.
  if (!chosen) {
    if (!fallback) throw new Error('policy has no segments');
    chosen = fallback;
    reasons.push(`segment ${fallback.id}: last segment of the policy`);
  }

  const late = behaviour.latePaymentsLastYear;
  if (late >= REPEAT_LATE_PAYMENTS && chosen.tone !== REPEAT_LATE_PAYER_TONE) {
    reasons.push(
      `tone ${REPEAT_LATE_PAYER_TONE}: repeat late payer, ${late} late payments in the last year >= ${REPEAT_LATE_PAYMENTS}`,
    );
    return { segmentId: chosen.id, tone: REPEAT_LATE_PAYER_TONE, reasons };
  }
  reasons.push(`tone ${chosen.tone}: segment ${chosen.id}`);
  return { segmentId: chosen.id, tone: chosen.tone, reasons };
}
