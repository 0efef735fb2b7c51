/**
 * The send step's providers and rate budget of a deployed handler (run-journey-step), configured
 * from its environment.
 */
import * as z from 'zod/mini';
import { readEnv, tableEnv } from '#adapters/env.ts';
import type { EmailSender, RateLimiter, SmsSender } from '#core/ports.ts';
import { DynamoRateLimiter } from './dynamo/rate-limiter.ts';
import { dynamoDbDocumentClient } from './dynamodb-client.ts';
import { eumSmsClient } from './eum-sms-client.ts';
import { EumSmsSender } from './eum-sms-sender.ts';
import { sesClient } from './ses-client.ts';
import { SesEmailSender } from './ses-email-sender.ts';
import { snsClient } from './sns-client.ts';
import { SnsSmsSender } from './sns-sms-sender.ts';

/** Letters recorded per second: the table's, not a provider's, budget. */
const LETTERS_PER_SECOND = 100;

/**
 * Returns SES, the stage's SMS sender (`SMS_SENDER`: SNS `Publish` by default, or End User Messaging
 * SMS `SendTextMessage`) and the account's per-second budget, plus the stage name the sends are
 * tagged with.
 */
export function createSenders(): {
  email: EmailSender;
  sms: SmsSender;
  rateLimiter: RateLimiter;
  stage: string;
} {
  const env = readEnv({
    ...tableEnv,
    STAGE: z.string().check(z.minLength(1)),
    EMAIL_FROM: z.string().check(z.minLength(3)),
    SES_CONFIGURATION_SET: z.optional(z.string()),
    SMS_SENDER_ID: z.optional(z.string()),
    SMS_ORIGINATION_NUMBER: z.optional(z.string()),
    SMS_SENDER: z._default(z.enum(['sns', 'end-user-messaging']), 'sns'),
    SMS_ORIGINATION_IDENTITY: z.optional(z.string().check(z.minLength(1))),
    SMS_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
    EMAIL_MAX_PER_SECOND: z._default(z.coerce.number().check(z.positive()), 1),
    SMS_MAX_PER_SECOND: z._default(z.coerce.number().check(z.positive()), 1),
  });
  return {
    rateLimiter: new DynamoRateLimiter(dynamoDbDocumentClient(), env.TABLE_NAME, {
      email: env.EMAIL_MAX_PER_SECOND,
      sms: env.SMS_MAX_PER_SECOND,
      // A letter is a table write until the daily posting: no provider rate to keep to.
      letter: LETTERS_PER_SECOND,
      // A call task is an event for the contact centre, whose capacity the planning keeps to.
      phone: LETTERS_PER_SECOND,
    }),
    email: new SesEmailSender(sesClient(), {
      from: env.EMAIL_FROM,
      ...(env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {}),
    }),
    sms:
      env.SMS_SENDER === 'end-user-messaging'
        ? new EumSmsSender(eumSmsClient(), {
            originationIdentity: required(env.SMS_ORIGINATION_IDENTITY, 'SMS_ORIGINATION_IDENTITY'),
            configurationSetName: required(env.SMS_CONFIGURATION_SET, 'SMS_CONFIGURATION_SET'),
          })
        : new SnsSmsSender(snsClient(), {
            ...(env.SMS_SENDER_ID ? { senderId: env.SMS_SENDER_ID } : {}),
            ...(env.SMS_ORIGINATION_NUMBER ? { originationNumber: env.SMS_ORIGINATION_NUMBER } : {}),
          }),
    stage: env.STAGE,
  };
}

/** Returns the setting End User Messaging SMS needs, or fails the cold start naming it. */
function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} must be set when SMS_SENDER is end-user-messaging`);
  return value;
}
