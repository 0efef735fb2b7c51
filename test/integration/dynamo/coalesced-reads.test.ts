import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoalescedReads } from '#adapters/dynamo/coalesced-reads.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-coalesced';

let table: TestTable;
/** The commands the client sent, by name, since the last reset. */
let sent: string[] = [];

beforeAll(async () => {
  table = await startTestTable(TABLE);
  table.doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  for (const sk of ['PROFILE', 'SUBJECT#INV-1', 'SUBJECT#INV-2']) {
    await table.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'CUSTOMER#c-1', sk, value: sk } }));
  }
});

afterAll(async () => {
  await table?.stop();
});

describe('reads made in the same turn', () => {
  it('go out as one BatchGetItem, each caller getting its own item, a missing one nothing', async () => {
    const reads = new CoalescedReads(table.doc, TABLE);
    sent = [];
    const [profile, invoice, missing, again] = await Promise.all([
      reads.get({ pk: 'CUSTOMER#c-1', sk: 'PROFILE' }),
      reads.get({ pk: 'CUSTOMER#c-1', sk: 'SUBJECT#INV-2' }),
      reads.get({ pk: 'CUSTOMER#c-1', sk: 'SUBJECT#INV-9' }),
      // The same key twice in one batch: BatchGetItem refuses duplicates, so it is asked once.
      reads.get({ pk: 'CUSTOMER#c-1', sk: 'PROFILE' }),
    ]);
    expect(sent).toEqual(['BatchGetItemCommand']);
    expect(profile?.value).toBe('PROFILE');
    expect(invoice?.value).toBe('SUBJECT#INV-2');
    expect(missing).toBeUndefined();
    expect(again?.value).toBe('PROFILE');
  });

  it('stay a single GetItem when alone, and read again in a later turn', async () => {
    const reads = new CoalescedReads(table.doc, TABLE);
    sent = [];
    expect((await reads.get({ pk: 'CUSTOMER#c-1', sk: 'SUBJECT#INV-1' }))?.value).toBe('SUBJECT#INV-1');
    expect((await reads.get({ pk: 'CUSTOMER#c-1', sk: 'PROFILE' }))?.value).toBe('PROFILE');
    expect(sent).toEqual(['GetItemCommand', 'GetItemCommand']);
  });

  it('reads what was written just before, as a consistent GetItem would', async () => {
    const reads = new CoalescedReads(table.doc, TABLE);
    await table.doc.send(
      new PutCommand({ TableName: TABLE, Item: { pk: 'CUSTOMER#c-2', sk: 'PROFILE', value: 'new' } }),
    );
    const [written, other] = await Promise.all([
      reads.get({ pk: 'CUSTOMER#c-2', sk: 'PROFILE' }),
      reads.get({ pk: 'CUSTOMER#c-1', sk: 'PROFILE' }),
    ]);
    expect(written?.value).toBe('new');
    expect(other?.value).toBe('PROFILE');
  });
});
