/** Sending: the email and SMS providers, the contact centre's call tasks and the per-second sending budget of a channel. */
import type { Channel } from '../customer.ts';
import type { SendReference } from '../send-tag.ts';

/** Per-second sending budget of a channel, shared by every send of the account. */
export interface RateLimiter {
  /** Takes one send from the current second's budget; returns false when that second is used up. */
  tryAcquire(channel: Channel, at: Date): Promise<boolean>;
}

export interface OutboundEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Provider tags (journey, step, template, stage): no personal data. */
  tags: Record<string, string>;
  /** The send attempt it is: the sender tags the email with it, so its events name it (`send-tag.ts`). */
  send?: SendReference;
  /** Extra message headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers?: Record<string, string>;
  /** Where the customer's answer goes (`Reply-To`): a signed reply address or the stage's mailbox. */
  replyTo?: string;
}

export interface OutboundSms {
  to: string;
  text: string;
  /** `Transactional` for service messages, `Promotional` for marketing. */
  smsType: 'Transactional' | 'Promotional';
  /**
   * The send attempt it is. SNS `Publish` cannot carry it into delivery events; End User Messaging
   * SMS `SendTextMessage` carries it as the message's context (see `SmsSender.linksEvents`).
   */
  send?: SendReference;
}

export interface EmailSender {
  sendEmail(message: OutboundEmail): Promise<{ providerMessageId: string }>;
}

export interface SmsSender {
  /**
   * True when the provider's delivery events name the send (`OutboundSms.send`), even one whose
   * answer was lost: such a maybe-sent SMS is reconciled by its events and sent again once, as an
   * email is. False (SNS `Publish`): it goes to the supporting channel after its bound.
   */
  readonly linksEvents: boolean;
  /** Names the provider in the reasons a refusal is recorded with (e.g. `SNS`). */
  readonly providerName: string;
  sendSms(message: OutboundSms): Promise<{ providerMessageId: string }>;
}

/**
 * A call for the contact centre: whom to call, when, and the script to read. No personal data goes
 * in `tags`; the number and the script are the task's content, for the contact centre only.
 */
export interface OutboundCall {
  to: string;
  script: string;
  /** The script's language: the agent who calls should speak it. */
  locale: string;
  /** When to call (UTC ISO): inside the contact centre's opening hours and its capacity. */
  callAt: string;
  /** Journey, step, template, stage: what the contact centre routes on. */
  tags: Record<string, string>;
  /** The send attempt it is: its outcome (`call.completed`) names the run it continues. */
  send?: SendReference;
  customerId: string;
  runId: string;
  journeyId: string;
  stepId: string;
  templateId: string;
}

/** One step's call: its send key (`<runId>#<stepId>`) and when it is planned (UTC ISO). */
export interface CallReservation {
  key: string;
  callAt: string;
}

/** The contact centre's calls per hour, counted across every concurrent step, once per send key. */
export interface CallCapacity {
  /**
   * Takes one call from the hour's capacity (`capacityHourOf`) for the send key; returns when the
   * key's call is planned: this reservation's `callAt`, or the one an earlier attempt of the same
   * step reserved (that hour is not counted again). Null when the hour is full.
   */
  tryReserve(hour: string, callsPerHour: number, reservation: CallReservation): Promise<string | null>;
}

/** Puts a call task where the contact centre takes it (an event and a queue, or an outbound campaign). */
export interface CallTaskSender {
  /** Names the port in the reasons a refusal is recorded with (e.g. `EventBridge`). */
  readonly providerName: string;
  scheduleCall(call: OutboundCall): Promise<{ providerMessageId: string }>;
}
