/** The contact centre's calls per hour on DynamoDB (dynalite): full hours, and a retried step counted once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCallCapacity } from '#adapters/dynamo/call-capacity.ts';
import { reserveCallSlot } from '#application/journey-step/call-slot.ts';
import type { ContactCentre } from '#core/policy.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-call-capacity-test';
let table: TestTable;
let capacity: DynamoCallCapacity;

const centre: ContactCentre = {
  timezone: 'Europe/Amsterdam',
  openingHours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
  callsPerHour: 2,
};
const HOUR = '2026-12-07T08:00:00.000Z'; // Mon 09:00 Amsterdam

beforeAll(async () => {
  table = await startTestTable(TABLE);
  capacity = new DynamoCallCapacity(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

describe('the contact centre’s hour on the table', () => {
  it('takes calls until the hour is full, then refuses', async () => {
    const at = (key: string) => capacity.tryReserve(HOUR, 2, { key, callAt: HOUR });
    expect(await at('run-a#second-reminder')).toBe(HOUR);
    expect(await at('run-b#second-reminder')).toBe(HOUR);
    expect(await at('run-c#second-reminder')).toBeNull();
  });

  it('gives a retried step its first call back, and counts its hour once', async () => {
    const now = new Date('2026-12-08T07:30:00Z'); // Tue 08:30 Amsterdam, before opening
    const first = await reserveCallSlot(capacity, centre, now, 'run-d#second-reminder');
    expect(first?.callAt).toBe('2026-12-08T08:00:00.000Z');
    // The step's retry, later in the morning: the same call, not a second place.
    const retried = await reserveCallSlot(
      capacity,
      centre,
      new Date('2026-12-08T08:40:00Z'),
      'run-d#second-reminder',
    );
    expect(retried?.callAt).toBe(first?.callAt);
    // The hour still has one place: one other step gets it, the next goes into the hour after.
    const other = await reserveCallSlot(capacity, centre, now, 'run-e#second-reminder');
    const third = await reserveCallSlot(capacity, centre, now, 'run-f#second-reminder');
    expect([other?.callAt, third?.callAt]).toEqual(['2026-12-08T08:00:00.000Z', '2026-12-08T09:00:00.000Z']);
  });
});
