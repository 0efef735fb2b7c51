import { type FieldIssue, HttpError } from './http.ts';

/** A date (`2026-12-01`) or instant the request states, and the window it must fall in. */
export interface MomentRule {
  path: string;
  value: string | undefined;
  notBefore: Date;
  notAfter: Date;
}

const DAY_MS = 86_400_000;

/** Returns the moment `years` calendar years before (negative: after) `now`, in UTC. */
export function yearsBefore(now: Date, years: number): Date {
  const moment = new Date(now);
  moment.setUTCFullYear(now.getUTCFullYear() - years);
  return moment;
}

export function daysAfter(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/** The window of an invoice's due date or an appointment: ten years either side of the request. */
export function tenYearsAround(now: Date): Pick<MomentRule, 'notBefore' | 'notAfter'> {
  return { notBefore: yearsBefore(now, 10), notAfter: yearsBefore(now, -10) };
}

const dayOf = (moment: Date) => moment.toISOString().slice(0, 10);

/**
 * Throws a 400 naming each moment outside its window: a due date in 1900 or an event in 2200 is a
 * client's mistake, and would otherwise schedule or summarise nonsense. The window is relative to the
 * request's clock, so it moves with time. A date is compared by its day; values already passed zod.
 */
export function assertMomentsWithin(rules: readonly MomentRule[]): void {
  const issues: FieldIssue[] = [];
  for (const rule of rules) {
    if (rule.value === undefined) continue;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(rule.value);
    const outside = dateOnly
      ? rule.value < dayOf(rule.notBefore) || rule.value > dayOf(rule.notAfter)
      : Date.parse(rule.value) < rule.notBefore.getTime() || Date.parse(rule.value) > rule.notAfter.getTime();
    if (outside) {
      issues.push({
        path: rule.path,
        message: `must be between ${dayOf(rule.notBefore)} and ${dayOf(rule.notAfter)}`,
      });
    }
  }
  if (issues.length > 0) throw new HttpError(400, 'invalid request', issues);
}

/**
 * The moments a journey's subject states (its type's `dates`: an invoice's due date, an appointment's
 * start), by field name: each within ten years of the request.
 */
export function subjectMomentRules(
  dates: Readonly<Record<string, unknown>>,
  prefix: string,
  now: Date,
): MomentRule[] {
  return Object.entries(dates)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([field, value]) => ({ path: `${prefix}${field}`, value, ...tenYearsAround(now) }));
}

/** Consents are dated when given: decades ago for a long-standing customer, never later than tomorrow. */
export function consentMomentRules(
  consents: readonly { at: string }[] | undefined,
  prefix: string,
  now: Date,
) {
  return (consents ?? []).map((consent, index) => ({
    path: `${prefix}${index}.at`,
    value: consent.at,
    notBefore: yearsBefore(now, 100),
    notAfter: daysAfter(now, 1),
  }));
}
