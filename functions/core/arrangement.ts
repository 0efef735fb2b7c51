/**
 * A payment arrangement: the customer pays an invoice in instalments on agreed dates. While it holds,
 * the invoice's reminder run sends nothing; an instalment unpaid beyond its grace breaks it, and the
 * reminders go on where they stopped. Pure: the schedule's rules, the exact sum, and where an
 * arrangement stands at a moment.
 */
import * as z from 'zod/mini';
import type { Arrangement, Instalment } from './arrangement-schema.ts';
import { AmountSchema, amountProblemOf, canonicalAmount, minorUnitOf } from './money.ts';

export { type Arrangement, ArrangementSchema, type Instalment } from './arrangement-schema.ts';

const DAY_MS = 86_400_000;

/** Days after an instalment's due date it may still be paid, unless the arrangement says otherwise. */
export const DEFAULT_GRACE_DAYS = 3;
/** The most grace an arrangement may give: longer is a new arrangement, not grace. */
export const MAX_GRACE_DAYS = 14;
/** How far ahead the last instalment may fall: the reminder run waits that long at most. */
export const MAX_ARRANGEMENT_DAYS = 180;
/** The most instalments one arrangement may have. */
export const MAX_INSTALMENTS = 24;

export const InstalmentTermsSchema = z.object({
  dueDate: z.iso.date(),
  amount: AmountSchema,
});

/** `arrangement.agreed`'s `data`: the schedule the customer agreed to (its currency is the invoice's). */
export const ArrangementTermsSchema = z.object({
  arrangementId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'up to 64 letters, digits, - or _')),
  instalments: z.array(InstalmentTermsSchema).check(z.minLength(1), z.maxLength(MAX_INSTALMENTS)),
  graceDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_GRACE_DAYS))),
});
export type ArrangementTerms = z.infer<typeof ArrangementTermsSchema>;

/** A problem with the terms, at the request field it is about. */
export interface TermsProblem {
  path: string;
  message: string;
}

/** Returns the amount in the currency's minor units, exactly (assumes a valid amount). */
function minorUnits(amount: string, currency: string): bigint {
  const [whole = '0', fraction = ''] = canonicalAmount(amount, currency).split('.');
  return BigInt(whole + fraction.padEnd(minorUnitOf(currency), '0'));
}

/** Returns the minor units written as an amount with the currency's decimals. */
function amountOfMinor(units: bigint, currency: string): string {
  const digits = minorUnitOf(currency);
  if (digits === 0) return units.toString();
  const text = units.toString().padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Returns the exact sum of the amounts in the currency (`"10.10" + "20.20"` is `"30.30"`, never a float's). */
export function sumOfAmounts(amounts: readonly string[], currency: string): string {
  return amountOfMinor(
    amounts.reduce((sum, amount) => sum + minorUnits(amount, currency), 0n),
    currency,
  );
}

function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

/**
 * Returns every problem of the terms for an invoice of `amountDue` in `currency`, agreed on `today`
 * (ISO date): each amount exact in the currency, the dates in order (one instalment a day at most),
 * the first not before today, the last within `MAX_ARRANGEMENT_DAYS`, and the amounts adding up to the
 * amount due. Empty: the terms hold.
 */
export function termsProblems(
  terms: ArrangementTerms,
  invoice: { amount: string; currency: string },
  today: string,
): TermsProblem[] {
  const problems: TermsProblem[] = [];
  const { currency } = invoice;
  terms.instalments.forEach((instalment, index) => {
    const problem = amountProblemOf(instalment.amount, currency);
    if (problem) problems.push({ path: `instalments.${index}.amount`, message: `${problem} (${currency})` });
    const previous = terms.instalments[index - 1];
    if (previous && dayNumber(instalment.dueDate) <= dayNumber(previous.dueDate)) {
      problems.push({
        path: `instalments.${index}.dueDate`,
        message: `must be after the instalment before it (${previous.dueDate}): instalments in date order`,
      });
    }
  });
  const first = terms.instalments[0];
  const last = terms.instalments[terms.instalments.length - 1];
  if (first && dayNumber(first.dueDate) < dayNumber(today)) {
    problems.push({ path: 'instalments.0.dueDate', message: `must be today (${today}) or later` });
  }
  if (last && dayNumber(last.dueDate) - dayNumber(today) > MAX_ARRANGEMENT_DAYS) {
    problems.push({
      path: `instalments.${terms.instalments.length - 1}.dueDate`,
      message: `must be at most ${MAX_ARRANGEMENT_DAYS} days ahead`,
    });
  }
  if (problems.length > 0) return problems;
  const total = sumOfAmounts(
    terms.instalments.map((i) => i.amount),
    currency,
  );
  if (minorUnits(total, currency) !== minorUnits(invoice.amount, currency)) {
    problems.push({
      path: 'instalments',
      message: `the instalments add up to ${total} ${currency}, not the amount due (${canonicalAmount(invoice.amount, currency)} ${currency})`,
    });
  }
  return problems;
}

/** Returns the arrangement the invoice's item keeps once the terms are agreed at `agreedAt`. */
export function arrangementOf(
  terms: ArrangementTerms,
  invoice: { id: string; currency: string },
  agreedAt: Date,
): Arrangement {
  return {
    arrangementId: terms.arrangementId,
    invoiceId: invoice.id,
    currency: invoice.currency,
    graceDays: terms.graceDays ?? DEFAULT_GRACE_DAYS,
    agreedAt: agreedAt.toISOString(),
    instalments: terms.instalments.map((i) => ({
      dueDate: i.dueDate,
      amount: canonicalAmount(i.amount, invoice.currency),
    })),
  };
}

/**
 * The moment an instalment due on `dueDate` is missed beyond its grace: the start (UTC) of the day
 * after its last day of grace. Paid on the last day of grace, it still counts.
 */
export function graceEndsAt(dueDate: string, graceDays: number): Date {
  return new Date((dayNumber(dueDate) + graceDays + 1) * DAY_MS);
}

/** The last day (ISO date) an instalment due on `dueDate` may be paid. */
export function lastDayOfGrace(dueDate: string, graceDays: number): string {
  return new Date((dayNumber(dueDate) + graceDays) * DAY_MS).toISOString().slice(0, 10);
}

/** Where an arrangement stands at a moment. */
export type ArrangementStanding =
  /** The next open instalment (index) may still be paid until `breaksAt`: the reminders wait. */
  | { kind: 'holding'; index: number; breaksAt: Date }
  /** The open instalment (index) was not paid within its grace: the reminders go on. */
  | { kind: 'broken'; index: number; breaksAt: Date }
  /** Every instalment is paid: so is the invoice. */
  | { kind: 'completed' };

/** Returns where the arrangement stands at `now`: decided by its first open instalment alone. */
export function standingOf(arrangement: Arrangement, now: Date): ArrangementStanding {
  const index = arrangement.instalments.findIndex((i) => i.paidAt === undefined);
  const open = arrangement.instalments[index];
  if (!open) return { kind: 'completed' };
  const breaksAt = graceEndsAt(open.dueDate, arrangement.graceDays);
  return now.getTime() >= breaksAt.getTime()
    ? { kind: 'broken', index, breaksAt }
    : { kind: 'holding', index, breaksAt };
}

/** Returns the arrangement with instalment `index` paid at `paidAt` (paid already: unchanged). */
export function withInstalmentPaid(arrangement: Arrangement, index: number, paidAt: Date): Arrangement {
  return {
    ...arrangement,
    instalments: arrangement.instalments.map((instalment, i) =>
      i === index && instalment.paidAt === undefined
        ? { ...instalment, paidAt: paidAt.toISOString() }
        : instalment,
    ),
  };
}

/** The id of an instalment as its own subject (`instalment.paid`'s `subjectId`): `<arrangementId>.<number>`, from 1. */
export function instalmentIdOf(arrangementId: string, index: number): string {
  return `${arrangementId}.${index + 1}`;
}

/** Returns the arrangement id and index an instalment id names, or undefined when it names none. */
export function instalmentOfId(instalmentId: string): { arrangementId: string; index: number } | undefined {
  const match = /^([A-Za-z0-9_-]{1,64})\.([1-9]\d{0,2})$/.exec(instalmentId);
  if (!match?.[1] || !match[2]) return undefined;
  return { arrangementId: match[1], index: Number(match[2]) - 1 };
}

/** Why the reminders wait, in plain words (the hold's reason), while the arrangement holds. */
export function holdingReason(arrangement: Arrangement, index: number): string {
  const open = arrangement.instalments[index] as Instalment;
  return (
    `payment arrangement ${arrangement.arrangementId}: instalment ${index + 1} of ${arrangement.instalments.length} ` +
    `(${open.amount} ${arrangement.currency}) is due ${open.dueDate}, paid in time until ${lastDayOfGrace(open.dueDate, arrangement.graceDays)}`
  );
}

/** Why the reminders go on again, in plain words, once the arrangement is broken. */
export function brokenReason(arrangement: Arrangement, index: number): string {
  const open = arrangement.instalments[index] as Instalment;
  return (
    `payment arrangement ${arrangement.arrangementId} broken: instalment ${index + 1} of ${arrangement.instalments.length} ` +
    `due ${open.dueDate} was not paid within ${arrangement.graceDays} days of grace`
  );
}
