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
} from '#core/collection-rule.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import { type MessageStepConfig, nextWakeAt } from '#core/journey-step-run.ts';
import { isoDatePlus } from '#core/payment-term.ts';
import type { CollectionRule, Policy } from '#core/policy.ts';
import { localDateIn, startOfLocalDay } from '#core/subject-dates.ts';

/** A step that is the fourteen-day notice for this customer: the rule, and the amount it is about. */
export interface CollectionNoticePlan {
  rule: CollectionRule;
  amount: string;
}

/** The step as this customer gets it, the notice when it is one, and why (for the decision's reasons). */
export interface CollectionNoticeStep {
  step: MessageStepConfig;
  notice: CollectionNoticePlan | null;
  reasons: string[];
}

/** Returns the channels that may carry the notice to the customer, in order. */
function noticeChannelsOf(customer: CustomerProfile): Channel[] {
  return agreedToElectronicNotices(customer) && customer.email ? ['email'] : [];
}

/**
 * Returns the step as the customer gets it: the notice's template on its channels, handed over when
 * nobody can be reached; else the step as written (no rule, a business, no channel the law allows), with why.
 */
export function collectionNoticeStep(
  policy: Pick<Policy, 'collection'>,
  step: MessageStepConfig,
  customer: CustomerProfile,
  subject: JourneySubject,
): CollectionNoticeStep {
  if (!step.collectionNotice) return { step, notice: null, reasons: [] };
  const match = collectionRuleFor(policy, customer, subject.currency);
  if (!match.rule)
    return { step, notice: null, reasons: [`${match.reason}: the ${step.templateId} as written`] };
  const channels = noticeChannelsOf(customer);
  if (channels.length === 0 || typeof subject.amount !== 'string') {
    const why = 'no agreement to electronic communication with an email address, and no letter';
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
    notice: { rule: match.rule, amount: subject.amount },
    reasons: [`${match.reason}, by ${channels.join(' or ')}`],
  };
}

/** Returns the day a notice sent on `sentOn` on a channel is counted as received. */
function receivedOnFor(channel: Channel, sentOn: string): string {
  // An email is received the day it is sent (the customer agreed to receive notices so).
  if (channel === 'email') return sentOn;
  throw new Error(`collection notice: ${channel} cannot carry it`);
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
  const receivedOn = receivedOnFor(channel, localDateIn(sentAt, zone));
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
