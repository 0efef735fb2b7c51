import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressions } from '#adapters/dynamo/suppressions.ts';
import { localPseudonymKey } from '#adapters/pseudonym-key-source.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
let repo: DynamoSuppressions;
const now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = new DynamoSuppressions(table.doc, TABLE, { pseudonymKey: localPseudonymKey('test') });
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoSuppressions against dynalite', () => {
  it('suppresses an address per channel, matching its normalised form, without storing it', async () => {
    await repo.suppress('email', ' Jan.Jansen@Example.NL ', 'unsubscribe link', now);
    await repo.suppress('sms', '+31 6 1234 5679', 'STOP reply', now);

    expect(await repo.isSuppressed('email', 'jan.jansen@example.nl')).toBe(true);
    expect(await repo.isSuppressed('sms', '+31612345679')).toBe(true);
    expect(await repo.isSuppressed('sms', 'jan.jansen@example.nl')).toBe(false);
    expect(await repo.isSuppressed('email', 'someone.else@example.nl')).toBe(false);

    const all = JSON.stringify(
      (await table.doc.send(new ScanCommand({ TableName: TABLE }))).Items,
    ).toLowerCase();
    expect(all).not.toContain('jan.jansen');
    expect(all).not.toContain('612345679');
  });
});
