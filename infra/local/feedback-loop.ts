/**
 * Provider feedback on one machine: what SES and SMS would report after a send, fed to the same
 * feedback handlers that the EventBridge rule and the SNS topics invoke on AWS.
 *
 * - It reports what the provider accepted: it wraps the real senders innermost, next to the
 *   emulators, so a fault injected around them (an answer lost after the provider accepted) still
 *   gets its events, and one before (never sent) gets none.
 * - Email: every accepted email is `Send` first, carrying the email's tags (the send it is among
 *   them) as SES's events do; SES's mailbox-simulator addresses behave as on AWS — `bounce@simulator.amazonses.com`
 *   (and `suppressionlist@…`) hard-bounce, `complaint@simulator.amazonses.com` is delivered and then
 *   complains; every other address is delivered, and opened when it is one of `emailOpeners`.
 * - SMS: every accepted SMS is reported delivered (`TEXT_DELIVERED`), carrying the send as its context
 *   when the sender passes one (End User Messaging SMS `SendTextMessage`; SNS `Publish` cannot);
 *   `receiveSms` is an inbound SMS, as two-way messaging publishes it (the SMS outbox's
 *   `POST /inbound` calls it).
 *
 * The events of a send are handed to the handler as soon as the journey task that sent it has
 * finished (and so recorded it), inside that execution's simulated time: on AWS they arrive
 * seconds later, long before any journey looks at them. That keeps runs deterministic.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { sesEmailTags } from '#adapters/ses-email-sender.ts';
import type { Channel } from '#core/customer.ts';
import type { Clock, EmailSender, OutboundEmail, OutboundSms, SmsSender } from '#core/ports.ts';
import { sendTagsOf } from '#core/send-tag.ts';

/** SES mailbox-simulator addresses: the demo data uses them, as anyone testing against SES would. */
export const SES_SIMULATOR = {
  bounce: 'bounce@simulator.amazonses.com',
  complaint: 'complaint@simulator.amazonses.com',
  suppressionList: 'suppressionlist@simulator.amazonses.com',
  success: 'success@simulator.amazonses.com',
} as const;

type FeedbackHandler = (event: unknown) => Promise<unknown>;

export interface FeedbackLoopOptions {
  clock: Clock;
  /** The record-email-feedback handler (given an EventBridge event). */
  emailFeedback: FeedbackHandler;
  /** The record-sms-feedback handler (given an SNS event). */
  smsFeedback: FeedbackHandler;
  configurationSetName: string;
  emailOpeners?: readonly string[];
  /**
   * Message ids the provider accepted for this recipient without answering the sender (a timeout
   * after acceptance): their events still come, as they would from SES and SNS.
   */
  acceptedWithoutAnswer?: (channel: Channel, to: string) => string[];
  region: string;
  account: string;
}

/** A feedback event its handler failed on: kept for tests and the demo (on AWS it would be retried). */
export interface FeedbackFailure {
  kind: string;
  error: string;
}

type Pending = () => Promise<void>;

/**
 * Events `redeliverAll` can deliver again: the latest ones only, so a run over many customers does
 * not keep every event it ever reported (a test redelivers the few events of its own customers).
 */
export const REDELIVERY_WINDOW = 10_000;

export class LocalFeedbackLoop {
  readonly failures: FeedbackFailure[] = [];
  /** Events delivered, by kind (`Delivery`, `Bounce`, `TEXT_DELIVERED`, `inbound`, …). */
  readonly delivered = new Map<string, number>();
  readonly #options: FeedbackLoopOptions;
  readonly #openers: Set<string>;
  readonly #taskQueue = new AsyncLocalStorage<Pending[]>();
  #outside: Pending[] = [];
  /**
   * The latest events delivered, in order, for `redeliverAll`: the event itself and its handler,
   * never the message it reports (a closure over the sender's scope would keep the email's body).
   */
  readonly #history: Array<{ kind: string; handler: FeedbackHandler; event: unknown }> = [];

  constructor(options: FeedbackLoopOptions) {
    this.#options = options;
    this.#openers = new Set((options.emailOpeners ?? []).map((a) => a.toLowerCase()));
  }

  /** Runs a journey task, then delivers the feedback of whatever it sent. */
  async aroundTask<T>(task: () => Promise<T>): Promise<T> {
    const queue: Pending[] = [];
    try {
      return await this.#taskQueue.run(queue, task);
    } finally {
      for (const deliver of queue) await deliver();
    }
  }

  /** Delivers feedback of sends made outside a journey task. */
  async flush(): Promise<void> {
    while (this.#outside.length > 0) {
      const batch = this.#outside;
      this.#outside = [];
      for (const deliver of batch) await deliver();
    }
  }

  /**
   * Delivers the provider events reported so far once more (at least the latest `REDELIVERY_WINDOW`), in
   * order, as an at-least-once source (EventBridge, SNS) may: what a redelivery changes shows.
   * Failures land in `failures`.
   */
  async redeliverAll(): Promise<void> {
    for (const { kind, handler, event } of [...this.#history]) {
      this.#count(kind);
      try {
        await handler(event);
      } catch (error) {
        this.failures.push({ kind, error: (error as Error).name });
      }
    }
  }

  /** Returns the sender, reporting SES events for every email it sends. */
  emailSender(inner: EmailSender): EmailSender {
    return {
      sendEmail: async (message: OutboundEmail) => {
        const report = (messageId: string) => {
          for (const event of this.#sesEvents(message, messageId)) {
            this.#queue(event.detail.eventType, this.#options.emailFeedback, event);
          }
        };
        let result: { providerMessageId: string };
        try {
          result = await inner.sendEmail(message);
        } catch (error) {
          for (const messageId of this.#options.acceptedWithoutAnswer?.('email', message.to) ?? [])
            report(messageId);
          throw error;
        }
        report(result.providerMessageId);
        return result;
      },
    };
  }

  /** Returns the sender, reporting every SMS it sends as delivered. */
  smsSender(inner: SmsSender): SmsSender {
    return {
      linksEvents: inner.linksEvents,
      providerName: inner.providerName,
      sendSms: async (message: OutboundSms) => {
        // What `SendTextMessage` passed as the message's context comes back in each of its events.
        const context = inner.linksEvents && message.send ? sendTagsOf(message.send) : undefined;
        const report = (messageId: string) => {
          const at = this.#options.clock.now();
          const record = {
            eventType: 'TEXT_DELIVERED',
            eventVersion: '1.0',
            eventTimestamp: at.getTime(),
            isFinal: true,
            destinationPhoneNumber: message.to,
            messageId,
            messageStatus: 'DELIVERED',
            messageType: message.smsType.toUpperCase(),
            ...(context ? { context } : {}),
          };
          this.#queue('TEXT_DELIVERED', this.#options.smsFeedback, this.#snsEvent('sms-events', record, at));
        };
        let result: { providerMessageId: string };
        try {
          result = await inner.sendSms(message);
        } catch (error) {
          for (const messageId of this.#options.acceptedWithoutAnswer?.('sms', message.to) ?? [])
            report(messageId);
          throw error;
        }
        report(result.providerMessageId);
        return result;
      },
    };
  }

  /** An inbound SMS, as End User Messaging SMS two-way messaging publishes it; returns the handler's result. */
  async receiveSms(from: string, text: string): Promise<unknown> {
    const at = this.#options.clock.now();
    const record = {
      originationNumber: from,
      destinationNumber: '+3197010000000',
      messageBody: text,
      inboundMessageId: randomUUID(),
    };
    this.#count('inbound');
    const event = this.#snsEvent('sms-inbound', record, at);
    this.#remember('inbound', this.#options.smsFeedback, event);
    return this.#options.smsFeedback(event);
  }

  #remember(kind: string, handler: FeedbackHandler, event: unknown): void {
    this.#history.push({ kind, handler, event });
    // Trimmed in one go once twice the window: each event pays the trim once, not the window's length.
    if (this.#history.length >= 2 * REDELIVERY_WINDOW) this.#history.splice(0, REDELIVERY_WINDOW);
  }

  #queue(kind: string, handler: FeedbackHandler, event: unknown): void {
    this.#remember(kind, handler, event);
    // Delivered in the simulated time of the execution that sent it.
    const inSendersTime = AsyncLocalStorage.snapshot();
    const pending: Pending = () =>
      inSendersTime(async () => {
        this.#count(kind);
        try {
          await handler(event);
        } catch (error) {
          this.failures.push({ kind, error: (error as Error).name });
        }
      });
    (this.#taskQueue.getStore() ?? this.#outside).push(pending);
  }

  #count(kind: string): void {
    this.delivered.set(kind, (this.delivered.get(kind) ?? 0) + 1);
  }

  /** Returns the EventBridge events SES would publish for this email. */
  #sesEvents(message: OutboundEmail, messageId: string) {
    const at = this.#options.clock.now().toISOString();
    const to = message.to.toLowerCase();
    // As SES does: the email's own tags (the send it is among them), and the configuration set's.
    const tags: Record<string, string[]> = { 'ses:configuration-set': [this.#options.configurationSetName] };
    for (const { Name, Value } of sesEmailTags(message)) tags[Name] = [Value];
    const mail = { timestamp: at, messageId, destination: [message.to], tags };
    const event = (detailType: string, detail: { eventType: string } & Record<string, unknown>) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: 'aws.ses' as const,
      account: this.#options.account,
      time: at,
      region: this.#options.region,
      resources: [],
      detail: { ...detail, mail },
    });
    const recipients = [{ emailAddress: message.to }];
    // SES accepted it: its first event, before any delivery outcome.
    const accepted = event('Email Sent', { eventType: 'Send', send: {} });
    if (to === SES_SIMULATOR.bounce || to === SES_SIMULATOR.suppressionList) {
      const bounceSubType = to === SES_SIMULATOR.bounce ? 'General' : 'OnAccountSuppressionList';
      return [
        accepted,
        event('Email Bounced', {
          eventType: 'Bounce',
          bounce: { bounceType: 'Permanent', bounceSubType, bouncedRecipients: recipients, timestamp: at },
        }),
      ];
    }
    const delivered = event('Email Delivered', {
      eventType: 'Delivery',
      delivery: { timestamp: at, recipients: [message.to] },
    });
    if (to === SES_SIMULATOR.complaint) {
      return [
        accepted,
        delivered,
        event('Email Complaint Received', {
          eventType: 'Complaint',
          complaint: { complainedRecipients: recipients, timestamp: at, complaintFeedbackType: 'abuse' },
        }),
      ];
    }
    if (this.#openers.has(to))
      return [accepted, delivered, event('Email Opened', { eventType: 'Open', open: { timestamp: at } })];
    return [accepted, delivered];
  }

  /** Returns an SNS notification event (as a Lambda subscription receives it) carrying the record. */
  #snsEvent(topic: string, record: unknown, at: Date) {
    return {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          Sns: {
            Type: 'Notification',
            MessageId: randomUUID(),
            TopicArn: `arn:aws:sns:${this.#options.region}:${this.#options.account}:klantreis-local-${topic}`,
            Timestamp: at.toISOString(),
            Message: JSON.stringify(record),
          },
        },
      ],
    };
  }
}
