import type { BehaviourEvent, BehaviourSummary } from './behaviour.ts';

const DAY_MS = 86_400_000;
export const ENGAGEMENT_LOOKBACK_DAYS = 90;

/** Returns the same instant one calendar year earlier in UTC (29 February goes to 1 March). */
function oneYearBefore(now: Date): number {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.getTime();
}

/**
 * Returns the behaviour the decision core uses, as of `now`: late payments, SMS and email replies
 * and the latest email engagement (open, click) and SMS engagement (link click, reply) in the year
 * before `now`; email opens and clicks and SMS link clicks in the 90 days before `now`, and when
 * each happened (the hours send-time optimisation reads). Events after `now` are ignored (a replayed or simulated
 * clock must not see the future). A late payment repeated for the same subject (an invoice
 * reported late twice) counts once.
 */
export function summariseBehaviour(events: readonly BehaviourEvent[], now: Date): BehaviourSummary {
  const end = now.getTime();
  const yearAgo = oneYearBefore(now);
  const engagementSince = end - ENGAGEMENT_LOOKBACK_DAYS * DAY_MS;

  const lateSubjects = new Set<string>();
  let lateWithoutSubject = 0;
  let opens = 0;
  let clicks = 0;
  let smsReplies = 0;
  let emailReplies = 0;
  let smsClicks = 0;
  let lastEngagement: number | null = null;
  let lastSmsEngagement: number | null = null;
  const engagementTimes: number[] = [];
  for (const event of events) {
    const t = Date.parse(event.occurredAt);
    if (Number.isNaN(t) || t > end || t <= yearAgo) continue;
    switch (event.type) {
      case 'payment.late':
        if (event.subjectId) lateSubjects.add(event.subjectId);
        else lateWithoutSubject += 1;
        break;
      case 'sms.replied':
        smsReplies += 1;
        if (lastSmsEngagement === null || t > lastSmsEngagement) lastSmsEngagement = t;
        break;
      case 'email.replied':
        emailReplies += 1;
        break;
      case 'sms.clicked':
        // Following the unsubscribe link is leaving, not engaging.
        if (event.data?.link === 'unsubscribe') break;
        if (lastSmsEngagement === null || t > lastSmsEngagement) lastSmsEngagement = t;
        if (t > engagementSince) {
          smsClicks += 1;
          engagementTimes.push(t);
        }
        break;
      case 'email.opened':
      case 'email.clicked':
        if (lastEngagement === null || t > lastEngagement) lastEngagement = t;
        if (t > engagementSince) {
          if (event.type === 'email.opened') opens += 1;
          else clicks += 1;
          engagementTimes.push(t);
        }
        break;
      default:
        break;
    }
  }
  return {
    latePaymentsLastYear: lateSubjects.size + lateWithoutSubject,
    emailOpensLast90Days: opens,
    emailClicksLast90Days: clicks,
    lastEmailEngagementAt: lastEngagement,
    smsRepliesLastYear: smsReplies,
    emailRepliesLastYear: emailReplies,
    smsClicksLast90Days: smsClicks,
    lastSmsEngagementAt: lastSmsEngagement,
    engagementTimes: engagementTimes.sort((a, b) => a - b),
  };
}
