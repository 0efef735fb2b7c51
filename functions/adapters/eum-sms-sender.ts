import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { OutboundSms, SmsSender } from '#core/ports.ts';
import { sendTagsOf } from '#core/send-tag.ts';

export interface EumSmsSenderConfig {
  /** The phone number, pool or sender id the SMS goes out from: its id or ARN. */
  originationIdentity: string;
  /** The configuration set whose event destination publishes the SMS events (name or ARN). */
  configurationSetName: string;
}

/**
 * End User Messaging SMS accepts at most 5 context entries, keys of 1–100 and values of 1–800
 * characters (`SendTextMessage` `Context`); the send's tags are 3 entries of at most 256 characters.
 */
const CONTEXT_MAX_ENTRIES = 5;

/**
 * Sends SMS with End User Messaging SMS `SendTextMessage`. The send's tags (`send-tag.ts`) go along
 * as the message's context, which every event of the SMS carries: an event names the send even when
 * the step never got the provider's answer, so a maybe-sent SMS is reconciled as an email is.
 */
export class EumSmsSender implements SmsSender {
  readonly linksEvents = true;
  readonly providerName = 'End User Messaging SMS';
  readonly #client: PinpointSMSVoiceV2Client;
  readonly #config: EumSmsSenderConfig;

  constructor(client: PinpointSMSVoiceV2Client, config: EumSmsSenderConfig) {
    this.#client = client;
    this.#config = config;
  }

  /** Returns End User Messaging's message id. */
  async sendSms(message: OutboundSms): Promise<{ providerMessageId: string }> {
    const context = message.send ? sendTagsOf(message.send) : undefined;
    if (context && Object.keys(context).length > CONTEXT_MAX_ENTRIES) {
      throw new Error('send tags do not fit an SMS context');
    }
    const result = await this.#client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: message.to,
        MessageBody: message.text,
        MessageType: message.smsType === 'Promotional' ? 'PROMOTIONAL' : 'TRANSACTIONAL',
        OriginationIdentity: this.#config.originationIdentity,
        ConfigurationSetName: this.#config.configurationSetName,
        ...(context ? { Context: context } : {}),
      }),
    );
    if (!result.MessageId) throw new Error('End User Messaging accepted the SMS but returned no MessageId');
    return { providerMessageId: result.MessageId };
  }
}
