import type { MessageAttributeValue, SNSClient } from '@aws-sdk/client-sns';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { OutboundSms, SmsSender } from '#core/ports.ts';

export interface SnsSmsSenderConfig {
  /** Alphanumeric sender id shown on the phone, where the destination country allows it. */
  senderId?: string;
  /** A long code, toll-free number or short code owned by the account (E.164). */
  originationNumber?: string;
}

/** Sends SMS by publishing straight to a phone number through SNS. */
export class SnsSmsSender implements SmsSender {
  /** SNS delivery reports carry only the message id, which a lost answer held. */
  readonly linksEvents = false;
  readonly providerName = 'SNS';
  readonly #client: SNSClient;
  readonly #config: SnsSmsSenderConfig;

  constructor(client: SNSClient, config: SnsSmsSenderConfig = {}) {
    this.#client = client;
    this.#config = config;
  }

  /** Returns SNS's message id. */
  async sendSms(message: OutboundSms): Promise<{ providerMessageId: string }> {
    const attributes: Record<string, MessageAttributeValue> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: message.smsType },
    };
    if (this.#config.senderId) {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.#config.senderId };
    }
    if (this.#config.originationNumber) {
      attributes['AWS.MM.SMS.OriginationNumber'] = {
        DataType: 'String',
        StringValue: this.#config.originationNumber,
      };
    }
    const result = await this.#client.send(
      new PublishCommand({ PhoneNumber: message.to, Message: message.text, MessageAttributes: attributes }),
    );
    if (!result.MessageId) throw new Error('SNS accepted the SMS but returned no MessageId');
    return { providerMessageId: result.MessageId };
  }
}
