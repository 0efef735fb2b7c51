import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConsents } from '#adapters/dynamo/consents.ts';
import { DynamoCustomers } from '#adapters/dynamo/customers.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';
import { sanne } from '../../fixtures/stage-table-data.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
let repo: DynamoCustomers;
let consents: DynamoConsents;
let now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = new DynamoCustomers(table.doc, TABLE);
  consents = new DynamoConsents(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoCustomers against dynalite', () => {
  it('round-trips a customer profile and answers undefined for an unknown one', async () => {
    await repo.putCustomer(sanne, now);
    expect(await repo.getCustomer('c-1001')).toEqual(sanne);
    expect(await repo.getCustomer('c-unknown')).toBeUndefined();
  });
});

describe('guarded profile updates', () => {
  const stop = {
    channel: 'sms',
    purpose: 'service',
    granted: false,
    at: '2026-03-01T12:00:00.000Z',
    source: 'sms-stop',
  } as const;

  it('keeps an opt-out another writer records between the read and the write of an update', async () => {
    const customer: CustomerProfile = { ...sanne, id: 'c-guard', consents: [] };
    await repo.putCustomer(customer, now);
    // A document client that lets an SMS STOP land right before the update's own write, once.
    let interleaved = false;
    const racing = {
      send: async (command: { input: { ConditionExpression?: string } }) => {
        if (!interleaved && command.input.ConditionExpression === 'updatedAt = :seen') {
          interleaved = true;
          now = new Date(now.getTime() + 1);
          expect(await consents.recordConsents(customer.id, [stop], now)).toBe(true);
        }
        return table.doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const updating = new DynamoCustomers(racing, TABLE);
    let runs = 0;
    const result = await updating.updateCustomer(
      customer.id,
      (stored) => {
        runs += 1;
        return stored && { ...stored, preferences: { channel: 'sms' } };
      },
      new Date(now.getTime() + 1),
    );
    expect(interleaved).toBe(true);
    expect(runs).toBe(2);
    expect(result).toEqual({ profile: expect.objectContaining({ consents: [stop] }), created: false });
    const stored = await repo.getCustomer(customer.id);
    expect(stored?.consents).toEqual([stop]);
    expect(stored?.preferences).toEqual({ channel: 'sms' });
  });

  it('creates a missing profile only once, and reports which call created it', async () => {
    const fresh: CustomerProfile = { ...sanne, id: 'c-guard-new' };
    const first = await repo.updateCustomer(fresh.id, (stored) => stored ?? fresh, now);
    const second = await repo.updateCustomer(
      fresh.id,
      (stored) => stored && { ...stored, locale: 'en-GB' },
      now,
    );
    expect([first.created, second.created]).toEqual([true, false]);
    expect((await repo.getCustomer(fresh.id))?.locale).toBe('en-GB');
    expect(await repo.updateCustomer('nobody', (stored) => stored, now)).toEqual({
      profile: undefined,
      created: false,
    });
  });
});
