import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTimeline } from '#adapters/dynamo/timeline.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';
import { entry } from '../../fixtures/stage-table-data.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
const RETENTION_DAYS = 30;
let repo: DynamoTimeline;
let now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = new DynamoTimeline(table.doc, TABLE, {
    bodyRetentionDays: RETENTION_DAYS,
    clock: { now: () => now },
  });
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoTimeline against dynalite', () => {
  it('lists the timeline newest first, with the body while within retention', async () => {
    const id = 'c-timeline';
    await repo.appendTimeline(
      entry(id, '2026-03-01T08:00:00Z', 'payment-reminder: started', { kind: 'journey' }),
    );
    await repo.appendTimeline(
      entry(id, '2026-03-01T10:00:00Z', 'payment-reminder/first-reminder: sent', {
        id: 'run-1.first-reminder.sent',
        kind: 'message',
        channel: 'email',
        outcome: 'sent',
        providerMessageId: 'ses-1',
        reasons: ['email: preferred by customer'],
        body: { subject: 'Herinnering', text: 'Beste Sanne, …' },
      }),
    );
    await repo.appendTimeline(
      entry(id, '2026-03-01T09:00:00Z', 'payment-reminder/first-reminder: email chosen'),
    );

    const timeline = await repo.listTimeline(id);
    expect(timeline.map((e) => e.summary)).toEqual([
      'payment-reminder/first-reminder: sent',
      'payment-reminder/first-reminder: email chosen',
      'payment-reminder: started',
    ]);
    expect(timeline[0]).toMatchObject({
      id: 'run-1.first-reminder.sent',
      channel: 'email',
      reasons: ['email: preferred by customer'],
      body: { subject: 'Herinnering', text: 'Beste Sanne, …' },
    });
    expect(timeline[1]?.body).toBeUndefined();
    expect((await repo.listTimeline(id, 2)).map((e) => e.at)).toEqual([
      '2026-03-01T10:00:00Z',
      '2026-03-01T09:00:00Z',
    ]);
  });

  it('stores the body as its own item expiring after the retention period, the metadata without expiry', async () => {
    const id = 'c-retention';
    const at = '2026-03-01T10:00:00.000Z';
    await repo.appendTimeline(entry(id, at, 'sent', { id: 'm1', kind: 'message', body: { text: 'Hallo' } }));

    const meta = await table.doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `CUSTOMER#${id}`, sk: `TIMELINE#${at}#m1` } }),
    );
    const body = await table.doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `CUSTOMER#${id}`, sk: `TIMELINE#${at}#m1#BODY` } }),
    );
    expect(meta.Item?.expiresAt).toBeUndefined();
    expect(meta.Item?.text).toBeUndefined();
    expect(body.Item?.expiresAt).toBe(Date.parse(at) / 1000 + RETENTION_DAYS * 86_400);
    expect(body.Item?.text).toBe('Hallo');

    // dynalite (like AWS, for a while) keeps expired items: the repository must not show the body.
    const before = now;
    now = new Date(Date.parse(at) + (RETENTION_DAYS + 1) * 86_400_000);
    try {
      const [expired] = await repo.listTimeline(id);
      expect(expired?.summary).toBe('sent');
      expect(expired?.body).toBeUndefined();
    } finally {
      now = before;
    }
  });

  it('keeps bodies with their entries across query pages and does not duplicate a retried append', async () => {
    const id = 'c-many';
    for (let i = 0; i < 30; i += 1) {
      const at = new Date(Date.UTC(2026, 1, 1, 0, i)).toISOString();
      await repo.appendTimeline(entry(id, at, `message ${i}`, { id: `m${i}`, body: { text: `body ${i}` } }));
    }
    await repo.appendTimeline(
      entry(id, new Date(Date.UTC(2026, 1, 1, 0, 29)).toISOString(), 'message 29', {
        id: 'm29',
        body: { text: 'body 29' },
      }),
    );

    const page = await repo.listTimeline(id, 25);
    expect(page).toHaveLength(25);
    expect(page.every((e) => e.body?.text === e.summary.replace('message', 'body'))).toBe(true);
    expect(page[0]?.summary).toBe('message 29');
    expect(page[1]?.summary).toBe('message 28');
    expect(await repo.listTimeline(id, 100)).toHaveLength(30);
  });

  it('lists the messages sent since a moment, oldest first, for contact pressure: not decisions, skips or bodies', async () => {
    const id = 'c-pressure';
    const sent = (at: string, channel: 'email' | 'sms', stepId: string) =>
      entry(id, at, `payment-reminder/${stepId}: ${channel} sent`, {
        kind: 'message',
        outcome: 'sent',
        channel,
        journeyId: 'payment-reminder',
        stepId,
        body: { text: 'Your invoice is due' },
      });
    await repo.appendTimeline(sent('2026-02-20T09:00:00Z', 'email', 'too-old'));
    await repo.appendTimeline(sent('2026-02-24T09:00:00+01:00', 'sms', 'first-reminder'));
    await repo.appendTimeline(entry(id, '2026-02-25T09:00:00Z', 'decision', { channel: 'email' }));
    await repo.appendTimeline(
      entry(id, '2026-02-26T09:00:00Z', 'skipped', { kind: 'message', outcome: 'skipped', channel: 'email' }),
    );
    await repo.appendTimeline(sent('2026-02-27T09:00:00Z', 'email', 'second-reminder'));
    await repo.appendTimeline(sent('2026-02-27T10:00:00Z', 'email', 'other-customer-step'));
    await repo.appendTimeline({
      ...sent('2026-02-27T11:00:00Z', 'email', 'x'),
      customerId: 'c-someone-else',
    });

    const messages = await repo.listSentMessages(id, new Date('2026-02-22T00:00:00Z'));
    expect(messages).toEqual([
      {
        at: '2026-02-24T09:00:00+01:00',
        channel: 'sms',
        journeyId: 'payment-reminder',
        stepId: 'first-reminder',
      },
      {
        at: '2026-02-27T09:00:00Z',
        channel: 'email',
        journeyId: 'payment-reminder',
        stepId: 'second-reminder',
      },
      {
        at: '2026-02-27T10:00:00Z',
        channel: 'email',
        journeyId: 'payment-reminder',
        stepId: 'other-customer-step',
      },
    ]);
    expect(await repo.listSentMessages('c-nobody', new Date('2026-01-01T00:00:00Z'))).toEqual([]);
  });
});
