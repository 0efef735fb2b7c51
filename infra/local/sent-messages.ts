import type { Clock, EmailSender, SmsSender } from '#core/ports.ts';

/** When a message was sent on the simulated clock, and to which customer. */
export interface SentMessage {
  /** ISO time on the sending run's simulated clock (a Wait of two days puts it two days on). */
  sentAt: string;
  /** The customer it went to, when the send named one. */
  customerId?: string;
}

/**
 * What the outboxes cannot know themselves: they answer the provider's HTTP call outside the
 * journey run, so their own clock reads world time, and the wire carries a phone number or an
 * address, not a customer. The senders record each accepted message here by its provider message
 * id, inside the run that sent it, and the outboxes look it up when they list or show a message.
 */
export class SentMessages {
  readonly #clock: Clock;
  readonly #byMessageId = new Map<string, SentMessage>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Returns what is known of a provider message id, if a sender recorded it. */
  of(messageId: string): SentMessage | undefined {
    return this.#byMessageId.get(messageId);
  }

  #record(messageId: string, customerId: string | undefined): void {
    this.#byMessageId.set(messageId, {
      sentAt: this.#clock.now().toISOString(),
      ...(customerId ? { customerId } : {}),
    });
  }

  /** Returns the sender, recording every email the provider accepted. */
  emailSender(inner: EmailSender): EmailSender {
    return {
      sendEmail: async (message) => {
        const result = await inner.sendEmail(message);
        this.#record(result.providerMessageId, message.send?.customerId);
        return result;
      },
    };
  }

  /** Returns the sender, recording every SMS the provider accepted. */
  smsSender(inner: SmsSender): SmsSender {
    return {
      linksEvents: inner.linksEvents,
      providerName: inner.providerName,
      sendSms: async (message) => {
        const result = await inner.sendSms(message);
        this.#record(result.providerMessageId, message.send?.customerId);
        return result;
      },
    };
  }
}
