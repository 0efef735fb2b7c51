import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { SesEmailSender } from '#adapters/ses-email-sender.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { localUnsubscribeKey, secretsManagerUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import { renderStepMessage } from '#application/render-step.ts';
import { SendMessageInput, sendStepMessage } from '#application/send-step.ts';
import { ChannelSchema } from '#core/customer.ts';
import type { OutboundEmail } from '#core/ports.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { LOCAL_UNSUBSCRIBE_KEY, verifyUnsubscribeToken } from '#core/unsubscribe-token.ts';
import { subjects } from '#subjects/registry.ts';
import { InMemoryRepository } from '../fixtures/in-memory-repository.ts';
import { firstReminder as step } from '../fixtures/journey-steps.ts';
import { fixedClock } from '../fixtures/lambda.ts';
import { sampleInvoice } from '../fixtures/template-data.ts';

const now = '2026-12-01T09:00:00Z';

const customer = {
  id: 'c-1',
  name: { given: 'Sanne', family: 'de Vries' },
  locale: 'nl-BE',
  country: 'BE',
  email: 'sanne@example.be',
  phone: '+32470123456',
};

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', customer);
  const renderDeps = {
    catalog: loadTemplateCatalog(defaultTemplatesDir()),
    policy: loadPolicy(),
    links: { portal: 'https://portal.example.com' },
    unsubscribe: { baseUrl: 'https://api.example.com/unsubscribe', key: localUnsubscribeKey },
    clock: fixedClock(now),
  };
  const render = (input: { channel: string; tone: 'friendly' | 'firm'; locale?: string; subject: unknown }) =>
    renderStepMessage(renderDeps, {
      runId: 'run-1',
      customer,
      step,
      channel: ChannelSchema.parse(input.channel),
      tone: input.tone,
      ...(input.locale ? { locale: input.locale } : {}),
      subject: subjects.schema.parse(input.subject),
    });
  const emails: OutboundEmail[] = [];
  const sendDeps = {
    customers: repository,
    idempotency: repository,
    timeline: repository,
    suppressions: repository,
    erasures: repository,
    rateLimiter: { tryAcquire: async () => true },
    email: {
      async sendEmail(message: OutboundEmail) {
        emails.push(message);
        return { providerMessageId: 'ses-1' };
      },
    },
    sms: { linksEvents: false, providerName: 'SNS', sendSms: async () => ({ providerMessageId: 'sns-1' }) },
    clock: fixedClock(now),
    stage: 'test',
  };
  const send = (event: unknown) => sendStepMessage(sendDeps, SendMessageInput.parse(event));
  return { render, send, emails, renderDeps };
}

describe('render step → send step', () => {
  it('renders the Flemish customer’s email in nl with a signed unsubscribe link, sent with one-click headers', async () => {
    const { render, send, emails } = setup();
    const rendered = await render({ channel: 'email', tone: 'friendly', subject: sampleInvoice });
    if (rendered.channel !== 'email') throw new Error('expected an email');
    expect(rendered.locale).toBe('nl');
    expect(rendered.reasons).toContain('locale nl: language of nl-BE');
    const token = new URL(rendered.unsubscribeUrl).searchParams.get('token') ?? '';
    expect(verifyUnsubscribeToken(token, [LOCAL_UNSUBSCRIBE_KEY], new Date(now))).toMatchObject({
      ok: true,
      claims: { customerId: 'c-1', channel: 'email', purpose: 'service' },
    });
    expect(rendered.html).toContain(`href="${rendered.unsubscribeUrl.replaceAll('&', '&amp;')}"`);
    expect(rendered.text).toContain(rendered.unsubscribeUrl);

    // The step output goes to the send step as Step Functions passes it: JSON.
    const message = JSON.parse(JSON.stringify(rendered));
    await send({ runId: 'run-1', customerId: 'c-1', step, channel: 'email', message });
    expect(emails[0]?.headers).toEqual({
      'List-Unsubscribe': `<${rendered.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('writes in the locale the decision picked (a segment writing in English), else the customer’s own', async () => {
    const { render } = setup();
    const english = await render({
      channel: 'email',
      tone: 'friendly',
      locale: 'en',
      subject: sampleInvoice,
    });
    expect(english.locale).toBe('en');
    expect(english.reasons).toContain('locale en: matches en');
    const dutch = await render({ channel: 'email', tone: 'friendly', locale: 'nl', subject: sampleInvoice });
    // Same language as the customer's nl-BE: rendered for nl-BE, so the reasons name the fallback.
    expect(dutch.reasons).toContain('locale nl: language of nl-BE');
  });

  it('renders an SMS with its own unsubscribe link and reports its parts', async () => {
    const { render } = setup();
    const rendered = await render({ channel: 'sms', tone: 'firm', subject: sampleInvoice });
    if (rendered.channel !== 'sms') throw new Error('expected an SMS');
    const { encoding, segments } = smsEncodingOf(rendered.text);
    expect(encoding).toBe('GSM-7');
    expect(rendered).toMatchObject({ encoding, segments });
    expect(rendered.reasons).toContain(`rendered payment-reminder sms in nl: ${segments} GSM-7 part(s)`);
    expect(rendered.text).toContain(rendered.unsubscribeUrl);
    const token = new URL(rendered.unsubscribeUrl).searchParams.get('token') ?? '';
    expect(verifyUnsubscribeToken(token, [LOCAL_UNSUBSCRIBE_KEY], new Date(now))).toMatchObject({
      claims: { channel: 'sms' },
    });
  });
  it('writes letters outside GSM-7 in an SMS as the policy says for the customer’s country', async () => {
    const { renderDeps } = setup();
    const catalog = structuredClone(renderDeps.catalog);
    const firm = catalog.templates['payment-reminder']?.nl?.firm;
    if (!firm) throw new Error('fixture');
    firm.sms = { text: 'Hoi {{ customer.givenName }}: {{ links.unsubscribe }}' };
    const zoe = { ...customer, name: { given: 'Zoë', family: 'Peeters' } };
    const sms = (policy: typeof renderDeps.policy) =>
      renderStepMessage(
        { ...renderDeps, catalog, policy },
        {
          runId: 'run-1',
          customer: zoe,
          step,
          channel: 'sms',
          tone: 'firm',
          subject: subjects.schema.parse(sampleInvoice),
        },
      );
    // The shipped policy transliterates by default: GSM-7.
    expect(await sms(renderDeps.policy)).toMatchObject({
      text: expect.stringMatching(/^Hoi Zoe:/),
      encoding: 'GSM-7',
    });
    const keepInBelgium = {
      ...renderDeps.policy,
      smsLetters: { default: 'transliterate' as const, byCountry: { BE: 'keep' as const } },
    };
    expect(await sms(keepInBelgium)).toMatchObject({
      text: expect.stringMatching(/^Hoi Zoë:/),
      encoding: 'UCS-2',
    });
  });
});

describe('SesEmailSender headers', () => {
  const ses = mockClient(SESv2Client);
  afterEach(() => ses.reset());

  it('passes List-Unsubscribe headers as SES v2 simple-content headers, and none when not given', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const sender = new SesEmailSender(new SESv2Client({}), { from: 'noreply@klantreis.example' });
    const base = { to: 'a@example.nl', subject: 's', html: '<p>h</p>', text: 't', tags: {} };
    await sender.sendEmail({
      ...base,
      headers: {
        'List-Unsubscribe': '<https://x.example/u?token=t>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    await sender.sendEmail(base);
    const [withHeaders, without] = ses
      .commandCalls(SendEmailCommand)
      .map((c) => c.args[0].input.Content?.Simple);
    expect(withHeaders?.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: '<https://x.example/u?token=t>' },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
    expect(without?.Headers).toBeUndefined();
  });
});

describe('secretsManagerUnsubscribeKey', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());

  it('reads the key once per container, and retries after a failed read', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'k'.repeat(64) });
    const key = secretsManagerUnsubscribeKey('arn:secret', new SecretsManagerClient({}));
    await expect(key()).rejects.toThrow('throttled');
    expect(await key()).toBe('k'.repeat(64));
    expect(await key()).toBe('k'.repeat(64));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: 'arn:secret' });
  });

  it('refuses an empty or short secret', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(secretsManagerUnsubscribeKey('arn:secret', new SecretsManagerClient({}))()).rejects.toThrow(
      /empty or too short/,
    );
  });
});
