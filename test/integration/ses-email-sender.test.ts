import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSesClient } from '#adapters/aws-clients.ts';
import { SesEmailSender } from '#adapters/ses-email-sender.ts';
import { type RunningSes, startSes } from '#infra/local/emulators/ses.ts';

let ses: RunningSes;
let client: SESv2Client;
let sender: SesEmailSender;

beforeAll(async () => {
  ses = await startSes({ port: 0 });
  client = createSesClient({ endpoint: ses.endpoint });
  sender = new SesEmailSender(client, {
    from: 'Klantreis <noreply@klantreis.example>',
    configurationSetName: 'klantreis-test',
  });
});

beforeEach(async () => {
  await ses.clear();
});

afterAll(async () => {
  client?.destroy();
  await ses?.stop();
});

describe('SesEmailSender against aws-ses-v2-local', () => {
  it('delivers subject, text and HTML to the recipient and returns the message id', async () => {
    const { providerMessageId } = await sender.sendEmail({
      to: 'sanne@example.nl',
      subject: 'Herinnering: factuur INV-2026-001 (€ 125,00)',
      text: 'Beste Sanne, wilt u de factuur vóór 1 maart betalen?',
      html: '<p>Beste Sanne, wilt u de factuur <b>vóór 1 maart</b> betalen?</p>',
      tags: { journey: 'payment-reminder', step: 'first-reminder', template: 'payment-reminder/nl-NL' },
    });

    const emails = await ses.listEmails();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      messageId: providerMessageId,
      from: 'Klantreis <noreply@klantreis.example>',
      to: ['sanne@example.nl'],
      subject: 'Herinnering: factuur INV-2026-001 (€ 125,00)',
      text: 'Beste Sanne, wilt u de factuur vóór 1 maart betalen?',
      html: '<p>Beste Sanne, wilt u de factuur <b>vóór 1 maart</b> betalen?</p>',
    });
  });

  it('lists every email, oldest first, once the oldest have moved to disk', async () => {
    const small = await startSes({ port: 0, emailsInMemory: 2 });
    const smallClient = createSesClient({ endpoint: small.endpoint });
    const to = new SesEmailSender(smallClient, {
      from: 'noreply@klantreis.example',
      configurationSetName: 'c',
    });
    try {
      const subjects = Array.from({ length: 7 }, (_, i) => `Herinnering ${i + 1}`);
      for (const subject of subjects)
        await to.sendEmail({ to: 'a@example.nl', subject, text: 't', html: '<p>t</p>', tags: {} });
      // The emulator's own outbox shows the latest few; the listing has them all.
      const store = (await (await fetch(`${small.endpoint}/store`)).json()) as { emails: unknown[] };
      expect(store.emails.length).toBeLessThan(subjects.length);
      expect((await small.listEmails()).map((e) => e.subject)).toEqual(subjects);
      await small.clear();
      expect(await small.listEmails()).toEqual([]);
    } finally {
      smallClient.destroy();
      await small.stop();
    }
  });

  it('clears the outbox', async () => {
    await sender.sendEmail({ to: 'a@example.nl', subject: 's', text: 't', html: '<p>t</p>', tags: {} });
    expect(await ses.listEmails()).toHaveLength(1);
    await ses.clear();
    expect(await ses.listEmails()).toEqual([]);
  });
});
