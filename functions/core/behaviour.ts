import * as z from 'zod/mini';
import { FreeFormRecordSchema } from './free-form.ts';

/**
 * Behaviour events about a customer (`POST /customers/{id}/events`), which the behaviour summary reads:
 * behaviour is derived from these, never typed into the profile. The business events about a journey's
 * subject (`invoice.paid`, `appointment.cancelled`) are its subject type's (the subject registry's).
 */
export const BEHAVIOURAL_EVENT_TYPES = [
  'payment.late',
  'email.opened',
  'email.clicked',
  'sms.replied',
  // A customer's answer to an email, received at its signed reply address (`receive-email-reply`).
  'email.replied',
  // The first visit of a short link of an SMS (one per link per message: `follow-short-link`).
  'sms.clicked',
] as const;
export type BehaviouralEventType = (typeof BEHAVIOURAL_EVENT_TYPES)[number];

/** An event's type: a behavioural one or a subject type's (`<name>.<what>`); the API takes only known ones. */
export const EventTypeSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/));

/** An event as stored: behaviour or a business event about a subject. */
export const BehaviourEventSchema = z.object({
  type: EventTypeSchema,
  /** When it happened in the world; defaults to the time it was recorded. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** The business object the event is about, e.g. the invoice id. */
  subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  data: z.optional(FreeFormRecordSchema),
});
export type BehaviourEvent = z.infer<typeof BehaviourEventSchema>;

/** What the decision core knows of a customer's behaviour, summarised from events. */
export interface BehaviourSummary {
  /** Late payments in the 12 months before the decision date. */
  latePaymentsLastYear: number;
  emailOpensLast90Days: number;
  emailClicksLast90Days: number;
  /** The latest email open or click in the last 12 months (epoch ms), or null. */
  lastEmailEngagementAt?: number | null;
  /** `sms.replied` events in the 12 months before the decision date. */
  smsRepliesLastYear?: number;
  /** `email.replied` events in the 12 months before the decision date. */
  emailRepliesLastYear?: number;
  /** `sms.clicked` events (short links followed) in the 90 days before the decision date. */
  smsClicksLast90Days?: number;
  /** The latest SMS link click or SMS reply in the last 12 months (epoch ms), or null. */
  lastSmsEngagementAt?: number | null;
  /**
   * When (epoch ms) each email open or click and each SMS link click of the last 90 days happened:
   * send-time optimisation reads their local hours.
   */
  engagementTimes?: readonly number[];
}

export const NO_BEHAVIOUR: BehaviourSummary = {
  latePaymentsLastYear: 0,
  emailOpensLast90Days: 0,
  emailClicksLast90Days: 0,
  lastEmailEngagementAt: null,
  smsRepliesLastYear: 0,
  emailRepliesLastYear: 0,
  smsClicksLast90Days: 0,
  lastSmsEngagementAt: null,
  engagementTimes: [],
};
