import { DateTime } from 'luxon';
import type { BehaviourEvent, BehaviourSummary } from './behaviour.ts';

/**
 * Returns the behaviour counts the decision core uses, as of `now`: late payments in the year
 * before `now`, email opens and clicks in the 90 days before `now`. Events after `now` are
 * ignored (a replayed or simulated clock must not see the future). A late payment repeated for
 * the same subject (an invoice reported late twice) counts once.
 */
export function summariseBehaviour(events: BehaviourEvent[], now: Date): BehaviourSummary {
  const end = now.getTime();
  const at = DateTime.fromJSDate(now, { zone: 'utc' });
  const yearAgo = at.minus({ years: 1 }).toMillis();
  const ninetyDaysAgo = at.minus({ days: 90 }).toMillis();

  const lateSubjects = new Set<string>();
  let lateWithoutSubject = 0;
  let opens = 0;
  let clicks = 0;
  for (const event of events) {
    const t = Date.parse(event.occurredAt);
    if (Number.isNaN(t) || t > end) continue;
    if (event.type === 'payment.late' && t > yearAgo) {
      if (event.subjectId) lateSubjects.add(event.subjectId);
      else lateWithoutSubject += 1;
    } else if (event.type === 'email.opened' && t > ninetyDaysAgo) {
      opens += 1;
    } else if (event.type === 'email.clicked' && t > ninetyDaysAgo) {
      clicks += 1;
    }
  }
  return {
    latePaymentsLastYear: lateSubjects.size + lateWithoutSubject,
    emailOpensLast90Days: opens,
    emailClicksLast90Days: clicks,
  };
}
