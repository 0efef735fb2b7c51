/**
 * How an SMS tells the customer to opt out: the signed unsubscribe link, or "reply STOP" where the
 * stage's sender number takes replies (`functions/core/sms-reply.ts` handles the STOP keywords). The
 * policy chooses per destination country (`smsOptOut` in `templates/policy.json`); a sender that takes
 * no replies always gets the link, because a STOP nobody reads would opt nobody out. Templates write
 * `{{ optOut }}` and never repeat the choice.
 */
import type { Policy, SmsOptOutForm } from './policy.ts';

/** Returns the opt-out form for an SMS to `country`, with the reason the decision records. */
export function smsOptOutFor(
  policy: Pick<Policy, 'smsOptOut'>,
  country: string,
  senderTwoWay: boolean,
): { form: SmsOptOutForm; reason: string } {
  const asked = policy.smsOptOut?.byCountry[country] ?? policy.smsOptOut?.default ?? 'link';
  if (asked === 'link') return { form: 'link', reason: 'sms opt-out: link' };
  if (!senderTwoWay) {
    return {
      form: 'link',
      reason: `sms opt-out: link (the policy asks reply STOP for ${country}, the sender takes no replies)`,
    };
  }
  return { form: 'reply-stop', reason: `sms opt-out: reply STOP (policy for ${country}, two-way sender)` };
}

/** The opt-out line per language; another language gets the English one. */
const OPT_OUT_TEXTS: Readonly<Record<string, Record<SmsOptOutForm, (link: string) => string>>> = {
  nl: { link: (link) => `Stop sms: ${link}`, 'reply-stop': () => 'Stop? Antwoord STOP' },
  en: { link: (link) => `Stop SMS: ${link}`, 'reply-stop': () => 'Reply STOP to opt out' },
};

/** Returns the opt-out line of an SMS in the language: the unsubscribe link, or the STOP answer. */
export function optOutText(form: SmsOptOutForm, language: string, unsubscribeLink: string): string {
  const texts = OPT_OUT_TEXTS[language] ?? OPT_OUT_TEXTS.en;
  return texts?.[form](unsubscribeLink) ?? unsubscribeLink;
}
