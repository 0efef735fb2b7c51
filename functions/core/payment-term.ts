/**
 * The term of the Dutch fourteen-day notice ("veertiendagenbrief"), art. 6:96 lid 6 BW: a consumer owes
 * the statutory collection costs (`./collection-costs.ts`) only after a notice, sent once the payment is
 * overdue, that states those costs and gives fourteen days to pay. Hoge Raad 25 November 2016,
 * ECLI:NL:HR:2016:2704 (prejudicial questions): the fourteen days start on the day after the debtor
 * RECEIVED the notice, and a notice that names a start or an end earlier than that ("within fourteen days
 * of the date of this letter") has no effect at all. So the notice states the last day counted from the
 * day of receipt: a letter is received when the channel's transit says it arrives, an email the day it
 * is sent (only where the customer agreed to electronic communication, `./collection-rule.ts`).
 * Algemene termijnenwet art. 1: a statutory term that ends on a Saturday, Sunday or recognised holiday
 * runs on to the next day that is none (`./statutory-term-days.ts`); art. 2: a term of three days or more
 * holds at least two days that are none (always true of fourteen days; checked all the same).
 */
import { isoDateOfDay } from './local-time.ts';
import { dayOfIsoDate } from './statutory-term-days.ts';

/** Returns why a term may not end on a day (by day count since 1970-01-01), or null when it may. */
export type NonTermDay = (day: number) => string | null;

export interface PaymentTerm {
  /** The day the notice is received (ISO date, the customer's calendar). */
  receivedOn: string;
  /** The term's first day: the day after receipt. */
  firstDay: string;
  /** The last day to pay: `termDays` from the first, moved past a weekend or holiday. */
  lastDay: string;
  /** Why the last day moved on (the days it skipped, named), empty when it did not. */
  reasons: string[];
}

/** Returns the term of a notice received on `receivedOn` that gives `termDays` days (at least 1). */
export function paymentTermOf(input: {
  receivedOn: string;
  termDays: number;
  nonTermDay: NonTermDay;
}): PaymentTerm {
  const received = dayOfIsoDate(input.receivedOn);
  const first = received + 1;
  let last = received + input.termDays;
  const reasons: string[] = [];
  const moveOn = () => {
    for (let why = input.nonTermDay(last); why !== null; why = input.nonTermDay(last)) {
      reasons.push(`${isoDateOfDay(last)}: ${why}`);
      last += 1;
    }
  };
  moveOn();
  if (input.termDays >= 3) {
    // Atw art. 2: at least two days in the term on which a term may end.
    while (countTermDays(first, last, input.nonTermDay) < 2) {
      last += 1;
      moveOn();
    }
  }
  const fields = { receivedOn: input.receivedOn, firstDay: isoDateOfDay(first), lastDay: isoDateOfDay(last) };
  return {
    ...fields,
    reasons: reasons.length
      ? [`last day moved past ${reasons.join(', ')} (Algemene termijnenwet art. 1)`]
      : [],
  };
}

function countTermDays(first: number, last: number, nonTermDay: NonTermDay): number {
  let count = 0;
  for (let day = first; day <= last; day++) if (nonTermDay(day) === null) count++;
  return count;
}

/** Returns the ISO date `days` after `isoDate`. */
export function isoDatePlus(isoDate: string, days: number): string {
  return isoDateOfDay(dayOfIsoDate(isoDate) + days);
}
