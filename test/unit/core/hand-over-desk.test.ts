import { describe, expect, it } from 'vitest';
import type { HandOver } from '#core/hand-over.ts';
import { close, type HandOverRecord, openRecordOf, storedAndPublished, take } from '#core/hand-over-desk.ts';

const handOver: HandOver = {
  handOverId: 'run-1.hand-over',
  customerId: 'c-1',
  reason: 'no-reaction',
  at: '2026-12-07T10:00:00.000Z',
  conversationUrl: 'http://api/customers/c-1/conversation',
  journeyId: 'payment-reminder',
  runId: 'run-1',
};
const open = openRecordOf(handOver);
const at = new Date('2026-12-07T11:00:00Z');

describe('the hand-over desk', () => {
  it('opens a record with the hand-over’s ids, reason and age and no link', () => {
    expect(open).toEqual({
      handOverId: 'run-1.hand-over',
      customerId: 'c-1',
      reason: 'no-reaction',
      at: '2026-12-07T10:00:00.000Z',
      journeyId: 'payment-reminder',
      runId: 'run-1',
      status: 'open',
    });
  });

  it('records who took it; taking it again is no change; another person is refused by name', () => {
    const taken = take(open, 'anna', at);
    expect(taken).toMatchObject({ ok: true, changed: true, record: { status: 'taken', takenBy: 'anna' } });
    const record = (taken as { record: HandOverRecord }).record;
    expect(take(record, 'anna', at)).toMatchObject({ ok: true, changed: false });
    expect(take(record, 'bert', at)).toEqual({
      ok: false,
      problem: 'this hand-over is taken by anna already',
    });
  });

  it('closes with an outcome, and refuses to close or take a closed one', () => {
    const closed = close(open, 'anna', at, 'promise-to-pay');
    expect(closed).toMatchObject({
      ok: true,
      record: { status: 'closed', takenBy: 'anna', closedBy: 'anna', outcome: 'promise-to-pay' },
    });
    const record = (closed as { record: HandOverRecord }).record;
    expect(close(record, 'anna', at, 'resolved')).toEqual({
      ok: false,
      problem: 'this hand-over is closed already',
    });
    expect(take(record, 'bert', at)).toMatchObject({ ok: false });
  });

  it('stores the open record before it publishes, so a published hand-over is always in the inbox', async () => {
    const calls: string[] = [];
    const publisher = storedAndPublished(
      { openHandOver: async (record) => void calls.push(`store ${record.handOverId}`) },
      { publish: async (event) => void calls.push(`publish ${event.handOverId}`) },
    );
    await publisher.publish(handOver);
    expect(calls).toEqual(['store run-1.hand-over', 'publish run-1.hand-over']);
  });
});
