import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailSender, OutboundEmail } from '#core/ports.ts';
import { sendTagsOf } from '#core/send-tag.ts';

export interface SesEmailSenderConfig {
  /** A verified identity, e.g. `Klantreis <noreply@example.com>`. */
  from: string;
  /** Routes delivery, bounce and complaint events (and the tags below) to the event destinations. */
  configurationSetName?: string;
}

/** SES accepts tag names and values of ASCII letters, digits, `_` and `-`, up to 256 characters. */
const TAG_MAX_LENGTH = 256;

/** Returns the text in SES's tag alphabet: every other character becomes `_`. */
export function sesTagText(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, TAG_MAX_LENGTH);
}

/**
 * Returns the message tags SES gets for the email, and copies into each of its events: the caller's
 * (journey, step, template, stage) and the send it is, last, so a caller's tag of the same name
 * never hides it.
 */
export function sesEmailTags(
  message: Pick<OutboundEmail, 'tags' | 'send'>,
): Array<{ Name: string; Value: string }> {
  return Object.entries({ ...message.tags, ...(message.send ? sendTagsOf(message.send) : {}) })
    .map(([name, value]) => ({ Name: sesTagText(name), Value: sesTagText(value) }))
    .filter((tag) => tag.Name.length > 0 && tag.Value.length > 0);
}

/** Sends email through SES v2 with simple (subject, HTML, text) content. */
export class SesEmailSender implements EmailSender {
  readonly #client: SESv2Client;
  readonly #config: SesEmailSenderConfig;

  constructor(client: SESv2Client, config: SesEmailSenderConfig) {
    this.#client = client;
    this.#config = config;
  }

  /**
   * Returns SES's message id, which delivery events carry. The email is tagged with the send it is
   * (`send-tag.ts`): SES copies its tags into every event, so an event names the send even when
   * this answer is lost.
   */
  async sendEmail(message: OutboundEmail): Promise<{ providerMessageId: string }> {
    const result = await this.#client.send(
      new SendEmailCommand({
        FromEmailAddress: this.#config.from,
        Destination: { ToAddresses: [message.to] },
        ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: message.html, Charset: 'UTF-8' },
              Text: { Data: message.text, Charset: 'UTF-8' },
            },
            ...(message.headers
              ? { Headers: Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value })) }
              : {}),
          },
        },
        EmailTags: sesEmailTags(message),
        ConfigurationSetName: this.#config.configurationSetName,
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the email but returned no MessageId');
    return { providerMessageId: result.MessageId };
  }
}
