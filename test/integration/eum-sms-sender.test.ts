/**
 * EumSmsSender with the real End User Messaging SMS client (AWS JSON 1.0 protocol): against the local
 * SMS outbox for what a send carries (the send's tags as the message's context), and against a tiny
 * server answering End User Messaging's errors, classified as the send step classifies them.
 */
import { createServer, type Server } from 'node:http';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEumSmsClient } from '#adapters/aws-clients.ts';
import { EumSmsSender } from '#adapters/eum-sms-sender.ts';
import { classifyProviderError } from '#adapters/provider-errors.ts';
import { sendOfTags } from '#core/send-tag.ts';
import { type RunningSmsOutbox, startSmsOutbox } from '#infra/local/emulators/sms-outbox.ts';

const AT = new Date('2026-03-02T09:30:00Z');
const POOL = 'arn:aws:sms-voice:eu-west-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef';
const config = { originationIdentity: POOL, configurationSetName: 'klantreis-dev-sms' };
const send = { customerId: 'c-1', key: 'run-1#first-reminder', attempt: 2 };

let outbox: RunningSmsOutbox;
let client: PinpointSMSVoiceV2Client;

/** The error a tiny End User Messaging stand-in answers next: HTTP status and JSON body. */
let nextError: { status: number; body: Record<string, unknown> } = { status: 500, body: {} };
let errors: Server;
let errorsClient: PinpointSMSVoiceV2Client;

beforeAll(async () => {
  outbox = await startSmsOutbox({ port: 0, clock: { now: () => AT } });
  client = createEumSmsClient({ endpoint: outbox.endpoint });
  errors = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response
        .writeHead(nextError.status, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': String(nextError.body.__type),
        })
        .end(JSON.stringify(nextError.body));
    });
  });
  await new Promise<void>((resolve) => errors.listen(0, '127.0.0.1', resolve));
  errorsClient = createEumSmsClient({
    endpoint: `http://127.0.0.1:${(errors.address() as { port: number }).port}`,
  });
});

beforeEach(() => {
  outbox.clear();
});

afterAll(async () => {
  client?.destroy();
  errorsClient?.destroy();
  await outbox?.stop();
  await new Promise((resolve) => errors?.close(resolve));
});

describe('EumSmsSender against the SMS outbox', () => {
  it('sends the number, text, type, origination identity and configuration set, and the send as context', async () => {
    const sender = new EumSmsSender(client, config);
    const { providerMessageId } = await sender.sendSms({
      to: '+31612345678',
      text: 'Herinnering: factuur INV-2026-001 staat open.',
      smsType: 'Transactional',
      send,
    });

    const [stored] = outbox.messages();
    expect(stored).toEqual({
      messageId: providerMessageId,
      phoneNumber: '+31612345678',
      message: 'Herinnering: factuur INV-2026-001 staat open.',
      attributes: {
        MessageType: 'TRANSACTIONAL',
        OriginationIdentity: POOL,
        ConfigurationSetName: 'klantreis-dev-sms',
      },
      context: {
        'klantreis-customer': 'c-1',
        'klantreis-send': 'run-1_23first-reminder',
        'klantreis-attempt': '2',
      },
      at: AT.toISOString(),
    });
    // What the SMS's events carry names the send, as the feedback handler reads it.
    const context = Object.fromEntries(Object.entries(stored?.context ?? {}).map(([k, v]) => [k, [v]]));
    expect(sendOfTags(context)).toEqual(send);
  });

  it('sends marketing as PROMOTIONAL, and no context when the message names no send', async () => {
    await new EumSmsSender(client, config).sendSms({
      to: '+31612345678',
      text: 'Nieuws',
      smsType: 'Promotional',
    });
    expect(outbox.messages()[0]?.attributes.MessageType).toBe('PROMOTIONAL');
    expect(outbox.messages()[0]).not.toHaveProperty('context');
  });

  it('says its events name the send, so a maybe-sent SMS is reconciled by them', () => {
    expect(new EumSmsSender(client, config).linksEvents).toBe(true);
  });
});

describe('End User Messaging errors as the real client throws them, classified', () => {
  const smsTo = () =>
    new EumSmsSender(errorsClient, config).sendSms({
      to: '+31612345678',
      text: 'x',
      smsType: 'Transactional',
      send,
    });
  const failureOf = async () => {
    try {
      await smsTo();
    } catch (error) {
      return classifyProviderError('sms', error, 'End User Messaging SMS');
    }
    throw new Error('expected the send to fail');
  };
  const error = (type: string, extra: Record<string, unknown> = {}) => ({
    __type: type,
    message: 'The destination phone number +31612345678 is opted out',
    ...extra,
  });

  it.each([
    ['ThrottlingException', 400, {}, { kind: 'throttled', code: 'ThrottlingException' }],
    [
      'ServiceQuotaExceededException',
      402,
      { Reason: 'DAILY_DESTINATION_CALL_LIMIT' },
      { kind: 'throttled', code: 'ServiceQuotaExceededException:DAILY_DESTINATION_CALL_LIMIT' },
    ],
    [
      'ServiceQuotaExceededException',
      402,
      { Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' },
      {
        kind: 'permanent',
        code: 'ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT',
        reason:
          'sms refused by End User Messaging SMS: account cannot send (ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT)',
      },
    ],
    [
      'ConflictException',
      400,
      { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opted-out-number' },
      {
        kind: 'permanent',
        code: 'ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT',
        reason: 'sms refused by End User Messaging SMS: opted out at the provider',
        suppress: 'opted-out',
      },
    ],
    [
      'ValidationException',
      400,
      { Reason: 'INVALID_PARAMETER' },
      {
        kind: 'permanent',
        code: 'ValidationException:INVALID_PARAMETER',
        reason:
          'sms refused by End User Messaging SMS: invalid address or request (ValidationException:INVALID_PARAMETER)',
      },
    ],
    [
      'AccessDeniedException',
      403,
      { Reason: 'ACCOUNT_DISABLED' },
      {
        kind: 'permanent',
        code: 'AccessDeniedException:ACCOUNT_DISABLED',
        reason:
          'sms refused by End User Messaging SMS: account cannot send (AccessDeniedException:ACCOUNT_DISABLED)',
      },
    ],
    [
      'ResourceNotFoundException',
      404,
      { ResourceType: 'pool', ResourceId: 'pool-0123' },
      {
        kind: 'permanent',
        code: 'ResourceNotFoundException',
        reason: 'sms refused by End User Messaging SMS: account cannot send (ResourceNotFoundException)',
      },
    ],
    ['InternalServerException', 500, {}, { kind: 'unavailable', code: 'InternalServerException' }],
  ] as const)('%s (%i, %o) → %o', async (type, status, extra, expected) => {
    nextError = { status, body: error(type, extra) };
    const failure = await failureOf();
    expect(failure).toEqual(expected);
    // The provider's message may quote the number: it never reaches the reason.
    expect(JSON.stringify(failure)).not.toContain('+31612345678');
  });
});
