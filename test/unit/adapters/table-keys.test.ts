import { describe, expect, it } from 'vitest';
import {
  dueInvoiceIndexKey,
  dueInvoiceRanges,
  eventKey,
  eventRange,
  normaliseAddress,
  profileKey,
  runIndexKey,
  runKey,
  sendKey,
  subjectKey,
  suppressionKey,
  timelineBodyKey,
  timelineKey,
} from '#adapters/table-keys.ts';

describe('table keys', () => {
  it('keeps all of a customer data in one partition', () => {
    const keys = [
      profileKey('c-1'),
      eventKey('c-1', '2026-01-01T00:00:00Z', 'e1'),
      timelineKey('c-1', '2026-01-01T00:00:00Z', 't1'),
      timelineBodyKey('c-1', '2026-01-01T00:00:00Z', 't1'),
      subjectKey('c-1', 'INV-1'),
      runKey('c-1', 'run-1'),
      sendKey('c-1', 'run-1#first-reminder'),
    ];
    expect(new Set(keys.map((k) => k.pk))).toEqual(new Set(['CUSTOMER#c-1']));
    expect(new Set(keys.map((k) => k.sk)).size).toBe(keys.length);
  });

  it('uses the subject key format the journey ASL reads', () => {
    expect(subjectKey('c-1', 'INV-1')).toEqual({ pk: 'CUSTOMER#c-1', sk: 'SUBJECT#INV-1' });
  });

  it('finds a run by id through gsi1', () => {
    expect(runIndexKey('run-1')).toEqual({ gsi1pk: 'RUN#run-1', gsi1sk: 'RUN' });
  });

  it('orders events by instant, whatever the offset they were written in', () => {
    const amsterdam = eventKey('c-1', '2026-02-20T11:30:00+01:00', 'a').sk;
    const utc = eventKey('c-1', '2026-02-20T10:45:00Z', 'b').sk;
    expect(amsterdam).toBe('EVENT#2026-02-20T10:30:00.000Z#a');
    expect(amsterdam < utc).toBe(true);
    const range = eventRange(new Date('2026-02-20T10:30:00Z'));
    expect(amsterdam >= range.from && amsterdam <= range.to).toBe(true);
    expect(eventKey('c-1', '2026-02-20T10:29:59.999Z', 'a').sk < range.from).toBe(true);
  });

  it('puts a body item right after its timeline entry', () => {
    const entry = timelineKey('c-1', '2026-01-01T00:00:00Z', 'm1').sk;
    const body = timelineBodyKey('c-1', '2026-01-01T00:00:00Z', 'm1').sk;
    const nextId = timelineKey('c-1', '2026-01-01T00:00:00Z', 'm1-2').sk;
    expect([nextId, body, entry].sort()).toEqual([entry, body, nextId]);
  });

  it('rejects an invalid timestamp', () => {
    expect(() => timelineKey('c-1', 'yesterday', 'm1')).toThrow('invalid timestamp');
  });

  it('hashes the normalised address into the suppression key, never the address itself', () => {
    const key = suppressionKey('email', ' Jan@Example.NL ');
    expect(key).toEqual(suppressionKey('email', 'jan@example.nl'));
    expect(key.pk).toMatch(/^SUPPRESSION#email#[0-9a-f]{64}$/);
    expect(key.sk).toBe('SUPPRESSION');
    expect(JSON.stringify(key)).not.toContain('jan');
    expect(suppressionKey('sms', '+31 6-1234 5678')).toEqual(suppressionKey('sms', '+31612345678'));
    expect(suppressionKey('sms', 'jan@example.nl').pk).not.toBe(suppressionKey('email', 'jan@example.nl').pk);
    expect(normaliseAddress('sms', '+31 (0)6 1234 5678')).toBe('+31612345678');
  });
});

describe('dueInvoiceRanges', () => {
  it('covers a window month by month, closing each range after every key of its last day', () => {
    const ranges = dueInvoiceRanges('2026-11-27', '2026-12-02');
    expect(ranges.map((r) => r.gsi1pk)).toEqual(['INVOICE-DUE#2026-11', 'INVOICE-DUE#2026-12']);
    const inside = dueInvoiceIndexKey('2026-12-02', 'c-1', 'INV-9');
    const after = dueInvoiceIndexKey('2026-12-03', 'c-1', 'INV-9');
    const december = ranges[1];
    expect(inside.gsi1pk).toBe(december?.gsi1pk);
    expect(inside.gsi1sk >= (december?.from ?? '') && inside.gsi1sk <= (december?.to ?? '')).toBe(true);
    expect(after.gsi1sk <= (december?.to ?? '')).toBe(false);
    expect(dueInvoiceRanges('2026-12-31', '2027-01-01').map((r) => r.gsi1pk)).toEqual([
      'INVOICE-DUE#2026-12',
      'INVOICE-DUE#2027-01',
    ]);
    expect(dueInvoiceRanges('2026-12-02', '2026-12-01')).toEqual([]);
  });
});
