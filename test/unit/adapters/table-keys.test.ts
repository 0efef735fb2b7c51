import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  dueInvoiceIndexKey,
  dueInvoiceRanges,
  erasureKey,
  eventKey,
  eventRange,
  legacySuppressionKey,
  legacySuppressionOf,
  normaliseAddress,
  profileKey,
  runIndexKey,
  runKey,
  sendKey,
  subjectKey,
  suppressionKey,
  suppressionKeyOfHash,
  timelineBodyKey,
  timelineKey,
} from '#adapters/dynamo/table-keys.ts';

const PSEUDONYM_KEY = 'a-test-pseudonym-key-of-at-least-32-characters';

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

  it('keys a suppression by an HMAC of the normalised address, never the address itself', () => {
    const key = suppressionKey('email', ' Jan@Example.NL ', PSEUDONYM_KEY);
    expect(key).toEqual(suppressionKey('email', 'jan@example.nl', PSEUDONYM_KEY));
    expect(key.pk).toMatch(/^SUPPRESSION#email#hmac:[0-9a-f]{64}$/);
    expect(key.sk).toBe('SUPPRESSION');
    expect(JSON.stringify(key)).not.toContain('jan');
    const sms = (address: string) => suppressionKey('sms', address, PSEUDONYM_KEY);
    expect(sms('+31 6-1234 5678')).toEqual(sms('+31612345678'));
    expect(sms('jan@example.nl').pk).not.toBe(suppressionKey('email', 'jan@example.nl', PSEUDONYM_KEY).pk);
    expect(normaliseAddress('sms', '+31 (0)6 1234 5678')).toBe('+31612345678');
  });

  it('cannot be recomputed from the address alone: the plain SHA-256 of it, or another stage’s key, gives another key', () => {
    const number = '+31612345678';
    const keyed = suppressionKey('sms', number, PSEUDONYM_KEY).pk;
    const plain = createHash('sha256').update(number).digest('hex');
    expect(keyed).not.toContain(plain);
    expect(keyed).not.toBe(legacySuppressionKey('sms', number).pk);
    expect(legacySuppressionKey('sms', number).pk).toBe(`SUPPRESSION#sms#${plain}`);
    expect(suppressionKey('sms', number, 'another-stage-key-of-at-least-32-chars').pk).not.toBe(keyed);
  });

  it('migrates a legacy key without the address: the keyed hash is an HMAC of the plain hash', () => {
    const legacy = legacySuppressionKey('email', 'jan@example.nl');
    const parsed = legacySuppressionOf(legacy.pk);
    expect(parsed).toEqual({ channel: 'email', sha256Hex: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(suppressionKeyOfHash('email', parsed?.sha256Hex ?? '', PSEUDONYM_KEY)).toEqual(
      suppressionKey('email', 'jan@example.nl', PSEUDONYM_KEY),
    );
    expect(legacySuppressionOf(suppressionKey('email', 'jan@example.nl', PSEUDONYM_KEY).pk)).toBeUndefined();
  });

  it('keys an erasure record by an HMAC of the customer id, outside the customer’s partition', () => {
    const key = erasureKey('c-1001', PSEUDONYM_KEY);
    expect(key.pk).toMatch(/^ERASURE#[0-9a-f]{64}$/);
    expect(key.pk).not.toContain('c-1001');
    expect(erasureKey('c-1002', PSEUDONYM_KEY).pk).not.toBe(key.pk);
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
