/**
 * Suppression entries and erasure records against dynalite: keyed by an HMAC under the stage's
 * pseudonym key, entries written before that (plain SHA-256 of the address) still suppressing until
 * the one-off migration converts them, and the erasure record the send pipeline checks.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoRepository, dynamoRepository } from '#adapters/dynamo/repository.ts';
import { localPseudonymKey } from '#adapters/pseudonym-key-source.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-suppression-test';
let table: TestTable;
let doc: DynamoDBDocumentClient;
let repo: DynamoRepository;
let now = new Date('2026-12-01T10:00:00Z');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A suppression entry as it was written before keyed hashes: the plain SHA-256 of the normalised address. */
async function putLegacySuppression(channel: 'email' | 'sms', normalised: string, reason: string) {
  await doc.send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        pk: `SUPPRESSION#${channel}#${sha256(normalised)}`,
        sk: 'SUPPRESSION',
        entity: 'suppression',
        channel,
        reason,
        at: '2026-06-01T08:00:00.000Z',
      },
    }),
  );
}

async function suppressionItems() {
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: TABLE }));
  return Items.filter((item) => String(item.pk).startsWith('SUPPRESSION#'));
}

beforeAll(async () => {
  table = await startTestTable(TABLE);
  doc = table.doc;
  repo = dynamoRepository(doc, TABLE, {
    clock: { now: () => now },
    pseudonymKey: localPseudonymKey('test'),
  });
});

afterAll(async () => {
  await table?.stop();
});

describe('suppression entries keyed by HMAC', () => {
  it('stores no hash anyone can recompute from a guessed number: not its SHA-256', async () => {
    await repo.suppress('sms', '+31 6 4433 2211', 'STOP reply', now);
    expect(await repo.isSuppressed('sms', '+31644332211')).toBe(true);
    const dump = JSON.stringify(await suppressionItems());
    expect(dump).not.toContain(sha256('+31644332211'));
    expect(dump).not.toContain('644332211');
    // Another stage's key finds nothing: the key, not the number, is what makes the entry.
    const otherStage = dynamoRepository(doc, TABLE, { pseudonymKey: localPseudonymKey('elsewhere') });
    expect(await otherStage.isSuppressed('sms', '+31644332211')).toBe(false);
  });

  it('refuses to key anything without a pseudonym key', async () => {
    const unkeyed = dynamoRepository(doc, TABLE);
    await expect(unkeyed.isSuppressed('sms', '+31644332211')).rejects.toThrow('no pseudonym key configured');
  });

  it('keeps suppressing with an entry written before keyed hashes, until and after the migration', async () => {
    await putLegacySuppression('email', 'legacy.klant@example.nl', 'hard bounce');
    await putLegacySuppression('sms', '+31655443322', 'STOP reply');
    expect(await repo.isSuppressed('email', ' Legacy.Klant@Example.NL')).toBe(true);
    expect(await repo.isSuppressed('sms', '+31 6 5544 3322')).toBe(true);

    expect(await repo.migrateLegacySuppressions()).toEqual({ migrated: 2, keyed: 1 });
    const items = await suppressionItems();
    expect(items.map((item) => String(item.pk)).every((pk) => pk.includes('#hmac:'))).toBe(true);
    expect(JSON.stringify(items)).not.toContain(sha256('+31655443322'));
    // Reason and time come along.
    expect(items).toContainEqual(
      expect.objectContaining({ channel: 'email', reason: 'hard bounce', at: '2026-06-01T08:00:00.000Z' }),
    );
    expect(await repo.isSuppressed('email', 'legacy.klant@example.nl')).toBe(true);
    expect(await repo.isSuppressed('sms', '+31655443322')).toBe(true);
    expect(await repo.isSuppressed('sms', '+31655443323')).toBe(false);

    // Repeating it changes nothing.
    expect(await repo.migrateLegacySuppressions()).toEqual({ migrated: 0, keyed: 3 });
  });

  it('keeps a keyed entry written since, when its legacy twin is migrated', async () => {
    await repo.suppress('email', 'twice@example.nl', 'complaint', now);
    await putLegacySuppression('email', 'twice@example.nl', 'hard bounce');
    await repo.migrateLegacySuppressions();
    const twins = (await suppressionItems()).filter((item) => item.reason === 'complaint');
    expect(twins).toHaveLength(1);
    expect((await suppressionItems()).filter((item) => item.reason === 'hard bounce')).toHaveLength(1);
  });
});

describe('erasure records', () => {
  it('marks a customer erased outside their partition, without their id, until the record expires', async () => {
    const secondPassAt = new Date(now.getTime() + 16 * 60_000);
    expect(await repo.isErased('c-erased')).toBe(false);
    await repo.markErased('c-erased', { erasedAt: now, secondPassAt });
    expect(await repo.isErased('c-erased')).toBe(true);
    expect(await repo.isErased('c-other')).toBe(false);
    expect(await repo.eraseCustomerData('c-erased')).toEqual({ deletedItems: 0 });
    expect(await repo.isErased('c-erased')).toBe(true);

    const { Items = [] } = await doc.send(new ScanCommand({ TableName: TABLE }));
    const record = Items.find((item) => item.entity === 'erasure');
    expect(JSON.stringify(record)).not.toContain('c-erased');
    // Kept a week past the second pass (DynamoDB TTL), and no longer counted once past it.
    expect(record?.expiresAt).toBe(Math.floor(secondPassAt.getTime() / 1000) + 7 * 86_400);
    now = new Date(secondPassAt.getTime() + 7 * 86_400_000 + 1000);
    expect(await repo.isErased('c-erased')).toBe(false);
    now = new Date('2026-12-01T10:00:00Z');
  });

  it('records the second pass on the record, and says so when there is no record', async () => {
    const secondPassAt = new Date(now.getTime() + 16 * 60_000);
    await repo.markErased('c-pass', { erasedAt: now, secondPassAt });
    expect(
      await repo.recordSecondPass('c-pass', { ranAt: secondPassAt, removedItems: 3, stoppedRuns: 1 }),
    ).toBe(true);
    expect(await repo.getErasure('c-pass')).toEqual({
      erasedAt: now.toISOString(),
      secondPassAt: secondPassAt.toISOString(),
      secondPass: { ranAt: secondPassAt.toISOString(), removedItems: 3, stoppedRuns: 1 },
    });
    expect(await repo.recordSecondPass('c-never', { ranAt: now, removedItems: 0, stoppedRuns: 0 })).toBe(
      false,
    );
    expect(await repo.getErasure('c-never')).toBeUndefined();
  });
});
