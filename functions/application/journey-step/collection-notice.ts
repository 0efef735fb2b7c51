/**
 * The fourteen-day notice in a message step (`collectionNotice` in the step's config, `docs/credit-management.md`):
 * for a customer a country's collection rule covers, the step sends the notice's template on the
 * channels the law allows (email only where the customer agreed to electronic communication), the
 * template states the statutory costs and the last day to pay counted from the day of receipt, and the
 * next step (the hand-over to collection) waits until the day after that last day.
 */
import {
  agreedToElectronicNotices,
  type CollectionTemplateData,
  collectionNoticeOf,
  collectionRuleFor,
  collectionTemplateDataOf,
  NOTICE_CHANNELS,
} from '#core/collection-rule.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import type { HolidayCalendarLookup } from '#core/holidays.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import { type MessageStepConfig, nextWakeAt } from '#core/journey-step-run.ts';
import { isoDatePlus } from '#core/payment-term.ts';
import type { CollectionRule, Policy } from '#core/policy.ts';
import { emailProblem, letterAddressProblem } from '#core/reachability.ts';
import { localDateIn, startOfLocalDay } from '#core/subject-dates.ts';
import { arrivalOf } from '#core/transit.ts';

/**
 * A step that is the fourteen-day notice for this customer: the rule, the amount it is about, and the
 * day a notice sent at a moment on a channel arrives (the channel's transit in the policy: a letter
 * some working days later; without a transit, the day it is sent).
 */
export interface CollectionNoticePlan {
  rule: CollectionRule;
  amount: string;
  arrivesOn: (channel: Channel, sentAt: Date, zone: string) => string | null;
}

/** The step as this customer gets it, the notice when it is one, and why (for the decision's reasons). */
export interface CollectionNoticeStep {
  step: MessageStepConfig;
  notice: CollectionNoticePlan | null;
  reasons: string[];
}

/** Returns the channels that may carry the notice to the customer, in order: email where agreed, then a letter. */
function noticeChannelsOf(customer: CustomerProfile): Channel[] {
  const channels: Channel[] = [];
  if (agreedToElectronicNotices(customer) && !emailProblem(customer.email)) channels.push('email');
  if (!letterAddressProblem(customer.address)) channels.push('letter');
  return channels.filter((channel) => (NOTICE_CHANNELS as readonly Channel[]).includes(channel));
}

/**
 * Returns the step as the customer gets it: the notice's template on its channels, handed over when
 * nobody can be reached; else the step as written (no rule, a business, no channel the law allows), with why.
 */
export function collectionNoticeStep(
  policy: Pick<Policy, 'collection' | 'transit' | 'defaults'>,
  step: MessageStepConfig,
  customer: CustomerProfile,
  subject: JourneySubject,
  holidayCalendarFor: HolidayCalendarLookup,
): CollectionNoticeStep {
  if (!step.collectionNotice) return { step, notice: null, reasons: [] };
  const match = collectionRuleFor(policy, customer, subject.currency);
  if (!match.rule)
    return { step, notice: null, reasons: [`${match.reason}: the ${step.templateId} as written`] };
  const channels = noticeChannelsOf(customer);
  if (channels.length === 0 || typeof subject.amount !== 'string') {
    const why =
      'no agreement to electronic communication with a valid email address, and no complete postal address';
    return {
      step,
      notice: null,
      reasons: [
        `${match.reason} not possible (${why}): the ${step.templateId} as written, no costs may be charged`,
      ],
    };
  }
  const { followUpUnreadHours: _readCheck, experiment: _experiment, ...rest } = step;
  return {
    step: {
      ...rest,
      templateId: step.collectionNotice.templateId,
      channels,
      channelOrder: 'customer',
      onUnreachable: 'hand-over',
    },
    notice: {
      rule: match.rule,
      amount: subject.amount,
      arrivesOn: (channel, sentAt, zone) =>
        arrivalOf({
          channel,
          postedAtMs: sentAt.getTime(),
          country: customer.address?.country ?? customer.country,
          ...(customer.region ? { region: customer.region } : {}),
          timezone: zone,
          policy,
          holidayCalendarFor,
        })?.arrivesOn ?? null,
    },
    reasons: [`${match.reason}, by ${channels.join(' or ')}`],
  };
}

/** What the notice sent on a channel at a moment states, and when its term has run out. */
export interface SentNotice {
  data: CollectionTemplateData;
  /** The start of the day after the last day to pay, in the customer's time zone. */
  termEndsAt: Date;
  reasons: string[];
}

/** Returns what the notice states when sent on `channel` at `sentAt`, counted in the customer's time zone. */
export function sentNoticeOf(
  plan: CollectionNoticePlan,
  channel: Channel,
  sentAt: Date,
  zone: string,
): SentNotice {
  // A letter is received the day its transit delivers it; an email the day it is sent (the customer agreed to that).
  const receivedOn = plan.arrivesOn(channel, sentAt, zone) ?? localDateIn(sentAt, zone);
  const notice = collectionNoticeOf(plan.rule, plan.amount, receivedOn);
  const data = collectionTemplateDataOf(plan.rule, notice);
  const afterLastDay = isoDatePlus(data.lastDay, 1);
  return {
    data,
    termEndsAt: startOfLocalDay(afterLastDay, zone),
    reasons: [
      `fourteen-day notice by ${channel}: received ${receivedOn}, last day to pay ${data.lastDay}; next step not before ${afterLastDay}`,
      ...notice.term.reasons,
    ],
  };
}

/** Returns the step whose next wake is not before the notice's term has run out. */
export function waitingForTerm(
  step: MessageStepConfig,
  sent: SentNotice,
  sentAt: Date,
  subject: JourneySubject,
  zone: string,
): MessageStepConfig {
  if (!step.next) return step;
  const planned = nextWakeAt(step.next, sentAt, subject, zone);
  return planned >= sent.termEndsAt ? step : { ...step, next: { at: sent.termEndsAt.toISOString() } };
}
