import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTagValue, encodeTagValue, SEND_TAG, sendOfTags, sendTagsOf } from '#core/send-tag.ts';

/** Every SES tag accepts these (the narrowest alphabet SES documents for tag names and values). */
const SES_TAG_ALPHABET = /^[A-Za-z0-9_-]*$/;

describe('send tags', () => {
  it('writes any text in SES’s tag alphabet and reads it back exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const value = encodeTagValue(text);
        expect(value).toMatch(SES_TAG_ALPHABET);
        expect(decodeTagValue(value)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a send key readable', () => {
    expect(encodeTagValue('run-1#first-reminder#2026-12-08')).toBe('run-1_23first-reminder_232026-12-08');
    expect(encodeTagValue('c_1.a:b')).toBe('c_5F1_2Ea_3Ab');
  });

  it('names a send in tags and finds it in an event’s tags', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._:-]{1,60}$/),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}#[a-z][a-z0-9-]{0,30}(#[0-9T:+-]{1,25})?$/),
        fc.integer({ min: 1, max: 9 }),
        (customerId, key, attempt) => {
          const tags = sendTagsOf({ customerId, key, attempt });
          expect(tags).toBeDefined();
          const asEvent = Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [k, [v]]));
          expect(sendOfTags({ ...asEvent, journey: ['payment-reminder'] })).toEqual({
            customerId,
            key,
            attempt,
          });
        },
      ),
    );
  });

  it('names no send when a value would not fit a tag, and reads none from tags that do not name one', () => {
    expect(sendTagsOf({ customerId: ':'.repeat(128), key: 'r#s', attempt: 1 })).toBeUndefined();
    expect(sendOfTags({ journey: ['payment-reminder'] })).toBeUndefined();
    expect(sendOfTags({ [SEND_TAG.customer]: ['c-1'], [SEND_TAG.send]: ['bad value!'] })).toBeUndefined();
    expect(
      sendOfTags({ [SEND_TAG.customer]: ['c-1'], [SEND_TAG.send]: ['r_23s'], [SEND_TAG.attempt]: ['0'] }),
    ).toBeUndefined();
    // An email tagged before attempts were: the first.
    expect(sendOfTags({ [SEND_TAG.customer]: ['c-1'], [SEND_TAG.send]: ['r_23s'] })).toEqual({
      customerId: 'c-1',
      key: 'r#s',
      attempt: 1,
    });
  });
});
