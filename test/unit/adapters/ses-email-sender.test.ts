import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesEmailSender, sesTagText } from '#adapters/ses-email-sender.ts';

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const message = {
  to: 'sanne@example.nl',
  subject: 'Herinnering',
  html: '<p>Hallo</p>',
  text: 'Hallo',
  tags: {
    journey: 'payment-reminder',
    template: 'payment-reminder/nl-NL',
    'step id': 'first reminder',
    empty: '',
  },
};

describe('SesEmailSender', () => {
  it('sends UTF-8 simple content with tags in SES alphabet and the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const sender = new SesEmailSender(new SESv2Client({}), {
      from: 'noreply@klantreis.example',
      configurationSetName: 'klantreis-dev',
    });

    expect(await sender.sendEmail(message)).toEqual({ providerMessageId: 'ses-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'noreply@klantreis.example',
      Destination: { ToAddresses: ['sanne@example.nl'] },
      ConfigurationSetName: 'klantreis-dev',
      Content: {
        Simple: {
          Subject: { Data: 'Herinnering', Charset: 'UTF-8' },
          Body: {
            Html: { Data: '<p>Hallo</p>', Charset: 'UTF-8' },
            Text: { Data: 'Hallo', Charset: 'UTF-8' },
          },
        },
      },
    });
    expect(input?.EmailTags).toEqual([
      { Name: 'journey', Value: 'payment-reminder' },
      { Name: 'template', Value: 'payment-reminder_nl-NL' },
      { Name: 'step_id', Value: 'first_reminder' },
    ]);
  });

  it('tags the email with the send it is, which a caller’s tag of the same name cannot hide', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-3' });
    await new SesEmailSender(new SESv2Client({}), { from: 'noreply@klantreis.example' }).sendEmail({
      ...message,
      tags: { ...message.tags, 'klantreis-send': 'forged' },
      send: { customerId: 'c:1', key: 'run-1#first-reminder', attempt: 2 },
    });
    const tags = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.EmailTags ?? [];
    expect(tags).toEqual(
      expect.arrayContaining([
        { Name: 'klantreis-customer', Value: 'c_3A1' },
        { Name: 'klantreis-send', Value: 'run-1_23first-reminder' },
        { Name: 'klantreis-attempt', Value: '2' },
      ]),
    );
    expect(tags.filter((t) => t.Name === 'klantreis-send')).toHaveLength(1);
  });

  it('leaves the configuration set out when none is configured', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    await new SesEmailSender(new SESv2Client({}), { from: 'noreply@klantreis.example' }).sendEmail(message);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.ConfigurationSetName).toBeUndefined();
  });

  it('fails loudly when SES returns no message id', async () => {
    ses.on(SendEmailCommand).resolves({});
    await expect(
      new SesEmailSender(new SESv2Client({}), { from: 'x@example.com' }).sendEmail(message),
    ).rejects.toThrow('no MessageId');
  });

  it('maps tag text to at most 256 characters of letters, digits, _ and -', () => {
    expect(sesTagText('nl-NL/v2 é')).toBe('nl-NL_v2__');
    expect(sesTagText('x'.repeat(300))).toHaveLength(256);
  });
});
