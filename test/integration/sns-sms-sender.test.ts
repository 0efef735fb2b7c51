import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSnsClient } from '#adapters/aws-clients.ts';
import { SnsSmsSender } from '#adapters/sns-sms-sender.ts';
import { type RunningSmsOutbox, startSmsOutbox } from '#infra/local/emulators/sms-outbox.ts';

const AT = new Date('2026-03-02T09:30:00Z');

let outbox: RunningSmsOutbox;
let client: SNSClient;

beforeAll(async () => {
  outbox = await startSmsOutbox({ port: 0, clock: { now: () => AT } });
  client = createSnsClient({ endpoint: outbox.endpoint });
});

beforeEach(() => {
  outbox.clear();
});

afterAll(async () => {
  client?.destroy();
  await outbox?.stop();
});

describe('SnsSmsSender against the SMS outbox', () => {
  it('records the phone number, text and SMS attributes and returns the message id', async () => {
    const sender = new SnsSmsSender(client, { senderId: 'Klantreis', originationNumber: '+3197010000000' });
    const text = 'Herinnering: factuur INV-2026-001 (€ 125,00) staat open. Betaal: https://pay.example/i/1';
    const { providerMessageId } = await sender.sendSms({
      to: '+31612345678',
      text,
      smsType: 'Transactional',
    });

    expect(outbox.messages()).toEqual([
      {
        messageId: providerMessageId,
        phoneNumber: '+31612345678',
        message: text,
        attributes: {
          'AWS.SNS.SMS.SMSType': 'Transactional',
          'AWS.SNS.SMS.SenderID': 'Klantreis',
          'AWS.MM.SMS.OriginationNumber': '+3197010000000',
        },
        at: AT.toISOString(),
      },
    ]);
  });

  it('sends only the SMS type when no sender id or number is configured', async () => {
    await new SnsSmsSender(client).sendSms({ to: '+31612345678', text: 'Nieuws', smsType: 'Promotional' });
    expect(outbox.messages()[0]?.attributes).toEqual({ 'AWS.SNS.SMS.SMSType': 'Promotional' });
  });

  it('serves the messages as JSON and empties them on POST /clear', async () => {
    await new SnsSmsSender(client).sendSms({ to: '+31612345678', text: 'Hallo', smsType: 'Transactional' });
    const listed = await (await fetch(`${outbox.endpoint}/messages`)).json();
    expect(listed).toMatchObject([{ phoneNumber: '+31612345678', message: 'Hallo' }]);

    expect((await fetch(`${outbox.endpoint}/clear`, { method: 'POST' })).status).toBe(200);
    expect(outbox.messages()).toEqual([]);
  });

  it('shows the outbox page with message text escaped', async () => {
    await new SnsSmsSender(client).sendSms({
      to: '+31612345678',
      text: '<script>alert("x")</script> & more',
      smsType: 'Transactional',
    });
    const page = await (await fetch(`${outbox.endpoint}/`)).text();
    expect(page).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more');
    expect(page).not.toContain('<script>');
  });

  it('answers an unknown action with an SNS XML error and status 400', async () => {
    const response = await fetch(outbox.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=Subscribe&Protocol=sms&Endpoint=%2B31612345678',
    });
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(outbox.messages()).toEqual([]);
  });

  it('refuses a topic publish through the real client with an SNS error the SDK understands', async () => {
    const publish = client.send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:topic', Message: 'x' }),
    );
    await expect(publish).rejects.toMatchObject({
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
