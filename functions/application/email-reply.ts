/**
 * An email a customer sent to a message's reply address (`reply+<token>@<inbound domain>`): the
 * signed token in the recipient address says whose message it answers — never the `From` header,
 * which anyone can write. A missing, tampered or expired token records nothing (counted, never
 * logged with an address). Only the reply's own text is kept (the quoted original and signature
 * stripped), in the customer's conversation on the message it answers, and a person gets it on the
 * hand-over desk, as with an SMS reply; like one, it is an `email.replied` behaviour event and a
 * `replied` result of the message it answers. A reply that is only an opt-out word ("stop",
 * "afmelden") opts the customer out of email for every purpose at once, as STOP does for SMS; with
 * more text, a person reads the rest too.
 */
import EmailReplyParser from 'email-reply-parser';
import PostalMime from 'postal-mime';
import { logger, metrics } from '#adapters/powertools.ts';
import { withdrawnForEveryPurpose } from '#core/consent.ts';
import {
  type EmailReplyClaims,
  isRepliedMessage,
  replyTokensOf,
  verifyEmailReplyToken,
} from '#core/email-reply-token.ts';
import type { CustomerRepository, ErasureCheck, TimelineEntry } from '#core/ports.ts';
import { classifySmsReply } from '#core/sms-reply.ts';
import type { UnsubscribeKeySource } from '#core/unsubscribe-token.ts';
import type { FeedbackDeps } from './feedback-deps.ts';
import { feedbackEntryId } from './feedback-entry-id.ts';
import { recordFeedbackResults } from './feedback-results.ts';
import { handOverReply } from './reply-hand-over.ts';

export interface EmailReplyDeps
  extends Pick<FeedbackDeps, 'consents' | 'timeline' | 'clock' | 'handOvers' | 'results'> {
  /** Finds the customer the token names, and records their `email.replied` behaviour event. */
  customers: Pick<CustomerRepository, 'getCustomer' | 'recordEvent'>;
  erasures: ErasureCheck;
  /** The reply tokens' key: the unsubscribe key (their MACs have their own prefix). */
  key: UnsubscribeKeySource;
  /** The stage's inbound domain: only `reply+…@` it carries a token. */
  inboundDomain: string;
}

/**
 * `reply`, `opt-out`; or nothing recorded: `no-token` (no reply address of the domain), `rejected`
 * (tampered, malformed or expired), `unknown-customer` (erased, or never known).
 */
export type EmailReplyOutcome = 'reply' | 'opt-out' | 'no-token' | 'rejected' | 'unknown-customer';

/** The longest reply text kept: a person reads it; a pasted book is cut. */
const MAX_REPLY_CHARS = 4000;
/** How far back in the conversation the answered message is looked for. */
const MESSAGES_LOOKED_AT = 200;

/** Returns the addresses the message was sent to: To, Cc and the delivery headers receiving adds. */
function recipientsOf(email: Awaited<ReturnType<typeof PostalMime.parse>>): string[] {
  const listed = [...(email.to ?? []), ...(email.cc ?? [])].flatMap((a) =>
    'group' in a && a.group ? a.group.map((m) => m.address) : [a.address ?? ''],
  );
  const delivered = email.headers
    .filter((h) => h.key === 'delivered-to' || h.key === 'x-original-to')
    .map((h) => h.value.replace(/^.*<|>.*$/g, ''));
  return [...listed, ...delivered];
}

/** Returns the reply's own text: without the quoted message and signature, trimmed and bounded. */
export function ownTextOf(text: string): string {
  const own = new EmailReplyParser().parseReply(text).trim();
  return (own || text.trim()).slice(0, MAX_REPLY_CHARS);
}

/** Returns the first token among the recipients that verifies, else why none did. */
async function claimsOf(
  deps: EmailReplyDeps,
  recipients: readonly string[],
  now: Date,
): Promise<{ ok: true; claims: EmailReplyClaims } | { ok: false; problem: string }> {
  const tokens = replyTokensOf(recipients, deps.inboundDomain);
  if (tokens.length === 0) return { ok: false, problem: 'no-token' };
  const keys = [await deps.key()];
  let problem = 'malformed';
  for (const token of tokens) {
    const verified = verifyEmailReplyToken(token, keys, now);
    if (verified.ok) return verified;
    problem = verified.problem;
  }
  return { ok: false, problem };
}

/**
 * Records one received email (its raw MIME); returns what it led to. `receipt` names the receipt
 * (the stored object's key and its event time), so a redelivered event writes the same entries.
 */
export async function receiveEmailReply(
  deps: EmailReplyDeps,
  raw: Uint8Array | string,
  receipt: { id: string; at: string },
): Promise<EmailReplyOutcome> {
  const now = deps.clock.now();
  const receiptId = receipt.id;
  const email = await PostalMime.parse(raw);
  const verified = await claimsOf(deps, recipientsOf(email), now);
  if (!verified.ok) {
    // Counted only: the sender's address and text stay out of the logs.
    logger.warn('email reply without a valid reply token: nothing recorded', { problem: verified.problem });
    metrics.addMetric('EmailRepliesRejected', 'Count', 1);
    return verified.problem === 'no-token' ? 'no-token' : 'rejected';
  }
  const { customerId, locale } = verified.claims;
  if ((await deps.erasures.isErased(customerId)) || !(await deps.customers.getCustomer(customerId))) {
    metrics.addMetric('EmailRepliesRejected', 'Count', 1);
    return 'unknown-customer';
  }
  const text = ownTextOf(email.text ?? (email.html ?? '').replace(/<[^>]*>/g, ' '));
  const reply = classifySmsReply(text);
  const at = receipt.at;
  const answered = (await deps.timeline.listTimeline(customerId, MESSAGES_LOOKED_AT)).find(
    (entry): entry is TimelineEntry & { id: string } =>
      entry.kind === 'message' && isRepliedMessage(entry.id, verified.claims),
  );
  const id = feedbackEntryId('email', 'reply', receiptId, at);
  if (reply.kind === 'opt-out') {
    await deps.consents.recordConsents(customerId, withdrawnForEveryPurpose('email', at, 'email-reply'), now);
  } else {
    // Behaviour the segment rules read (`emailNeverAnswered`), as an SMS reply records `sms.replied`.
    await deps.customers.recordEvent(customerId, { type: 'email.replied', occurredAt: at }, id);
  }
  await deps.timeline.appendTimeline({
    id,
    customerId,
    at,
    kind: 'reply',
    summary: reply.kind === 'opt-out' ? `email reply: ${reply.keyword}` : 'email reply',
    channel: 'email',
    locale,
    outcome: reply.escalate ? 'escalated' : 'opted-out',
    reasons: [
      ...(answered
        ? [`answers ${answered.journeyId ?? 'a'}/${answered.stepId ?? 'message'}`]
        : ['answered message no longer in the conversation']),
      ...(reply.kind === 'opt-out' ? [`email reply ${reply.keyword}: opted out of email at once`] : []),
      ...(reply.escalate ? ['escalate: a reply a person should read'] : []),
    ],
    ...(answered?.runId ? { runId: answered.runId } : {}),
    ...(answered?.journeyId ? { journeyId: answered.journeyId } : {}),
    ...(answered?.stepId ? { stepId: answered.stepId } : {}),
    body: { text },
  });
  if (answered?.runId && answered.stepId) {
    await recordFeedbackResults(
      deps.results,
      {
        customerId,
        runId: answered.runId,
        stepId: answered.stepId,
        channel: 'email',
        sentEventId: `sent:${answered.id}`,
        ...(answered.journeyId ? { journeyId: answered.journeyId } : {}),
      },
      {
        counters: reply.kind === 'opt-out' ? ['optedOut'] : ['replied'],
        eventKey: `${receiptId}#${answered.runId}`,
        at,
      },
    );
  }
  if (reply.escalate) await handOverReply(deps, { entryId: id, customerId, at, answered });
  metrics.addMetric(reply.kind === 'opt-out' ? 'EmailOptOutReplies' : 'EmailReplies', 'Count', 1);
  return reply.kind;
}
