import { describe, expect, it } from 'vitest';
import { resultEventRecordOfStream } from '#application/result-event-stream.ts';
import { resultEventRecordOf } from '#core/result-event-record.ts';
import { goalEvent, markerInsert, markerItemOf, sentEvent } from '../../fixtures/result-events.ts';

describe('resultEventRecordOfStream', () => {
  it('reads a marker insert into the flat analysis record, every field in its column', () => {
    expect(resultEventRecordOfStream(markerInsert(goalEvent, '100'))).toEqual({
      kind: 'event',
      record: {
        event_id: 'goal:run-1',
        at: '2026-12-20T10:15:00.000Z',
        day: '2026-12-20',
        kind: 'goalReached',
        journey_id: 'payment-reminder',
        step_id: 'second-reminder',
        segment: 'young',
        channel: 'sms',
        variant: 'firm',
        locale: 'nl',
        experiment_id: 'reminder-tone',
        arm: 'b',
        run_id: 'run-1',
        customer_key: 'k-3f9a',
        reason: null,
        delivery_cost_micro_usd: 0,
        orchestration_cost_micro_usd: 0,
        goal_days: 4,
        goal_event: 'invoice.paid',
      },
    });
  });

  it('carries the costs and keeps the event’s own day, even one second before midnight', () => {
    const mapped = resultEventRecordOfStream(markerInsert(sentEvent, '101'));
    expect(mapped).toMatchObject({
      kind: 'event',
      record: {
        day: '2026-12-19',
        delivery_cost_micro_usd: 100,
        orchestration_cost_micro_usd: 37,
        goal_days: null,
      },
    });
    expect(mapped.kind === 'event' && mapped.record).toEqual(resultEventRecordOf(sentEvent));
  });

  it('reads the events of every channel, a letter and a call among them', () => {
    for (const channel of ['email', 'sms', 'letter', 'phone', 'none'] as const) {
      const mapped = resultEventRecordOfStream(markerInsert({ ...sentEvent, channel }, '102'));
      expect(mapped.kind === 'event' && mapped.record.channel, channel).toBe(channel);
    }
  });

  it('passes over what is no marker insert: another item, a marker modified or removed', () => {
    const profile = markerInsert(goalEvent, '1', { pk: 'CUSTOMER#c-1', sk: 'PROFILE', itemType: 'customer' });
    expect(resultEventRecordOfStream(profile)).toEqual({ kind: 'not-a-marker' });
    expect(resultEventRecordOfStream({ ...markerInsert(goalEvent, '2'), eventName: 'MODIFY' })).toEqual({
      kind: 'not-a-marker',
    });
    const removed = markerInsert(goalEvent, '3');
    removed.eventName = 'REMOVE';
    delete removed.dynamodb?.NewImage;
    expect(resultEventRecordOfStream(removed)).toEqual({ kind: 'not-a-marker' });
  });

  it('names the fields of a marker it cannot read, never their values', () => {
    const { customerKey: _, ...withoutKey } = goalEvent;
    const mapped = resultEventRecordOfStream(
      markerInsert(withoutKey, '4', markerItemOf(withoutKey as never)),
    );
    expect(mapped).toEqual({ kind: 'unreadable', problem: 'fields: event.customerKey' });

    const badDay = { ...goalEvent, day: '2026-13-45' };
    expect(resultEventRecordOfStream(markerInsert(badDay, '5'))).toEqual({
      kind: 'unreadable',
      problem: 'fields: event.day',
    });
    // A day that would climb out of its partition folder never becomes one.
    const pathDay = { ...goalEvent, day: '../../x' };
    expect(resultEventRecordOfStream(markerInsert(pathDay, '6')).kind).toBe('unreadable');

    const otherKey = markerInsert(goalEvent, '7', {
      ...markerItemOf(goalEvent),
      pk: 'RESULTEVENT#goal:run-9',
    });
    expect(resultEventRecordOfStream(otherKey)).toEqual({
      kind: 'unreadable',
      problem: 'event.eventId differs from the marker key',
    });
    const noEvent = markerInsert(goalEvent, '8', {
      pk: 'RESULTEVENT#x',
      sk: 'RESULTEVENT',
      itemType: 'result-event',
    });
    expect(resultEventRecordOfStream(noEvent)).toMatchObject({ kind: 'unreadable' });
  });
});
