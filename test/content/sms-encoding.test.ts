import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeCharacter, smsEncodingOf } from '#core/sms-encoding.ts';

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

describe('smsEncodingOf', () => {
  it('sends plain Dutch and English text as GSM-7, 160 characters in one part', () => {
    expect(smsEncodingOf('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      length: 160,
      segments: 1,
      perSegment: 160,
      ucs2Characters: [],
    });
    expect(smsEncodingOf('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
    expect(smsEncodingOf('a'.repeat(306)).segments).toBe(2);
    expect(smsEncodingOf('a'.repeat(307)).segments).toBe(3);
    expect(smsEncodingOf('').segments).toBe(0);
  });

  it('counts an extension character (€, [, {, ~, |, ^, \\) as two septets', () => {
    expect(smsEncodingOf('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', length: 160, segments: 1 });
    expect(smsEncodingOf(`${'€'.repeat(80)}a`)).toMatchObject({ length: 161, segments: 2 });
    expect(smsEncodingOf('{}[]~|^\\').length).toBe(16);
  });

  it('never splits an extension character over two parts', () => {
    // 152 septets, then € (2): it does not fit in the first part's last septet, so it starts part 2;
    // 306 septets would fit two parts of 153 if it could be split.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(smsEncodingOf(text)).toMatchObject({ length: 306, segments: 3 });
    expect(smsEncodingOf(`${'a'.repeat(151)}€${'a'.repeat(151)}`)).toMatchObject({
      length: 304,
      segments: 2,
    });
  });

  it('switches to UCS-2 for a curly quote or an emoji and names the characters', () => {
    const report = smsEncodingOf('Dat is ’t einde 👍 ’');
    expect(report.encoding).toBe('UCS-2');
    expect(report.ucs2Characters).toEqual(['’', '👍']);
    expect(report.length).toBe(20); // the emoji is a surrogate pair: two UTF-16 units
    expect(report.perSegment).toBe(70);
    expect(smsEncodingOf('’'.repeat(70)).segments).toBe(1);
    expect(smsEncodingOf('’'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(smsEncodingOf('’'.repeat(134)).segments).toBe(2);
    expect(smsEncodingOf('’'.repeat(135)).segments).toBe(3);
  });

  it('never splits an emoji over two parts', () => {
    expect(smsEncodingOf(`${'’'.repeat(66)}👍${'’'.repeat(66)}`)).toMatchObject({ length: 134, segments: 3 });
    expect(smsEncodingOf(`${'’'.repeat(65)}👍${'’'.repeat(65)}`).segments).toBe(2);
  });

  it('treats ë and the no-break space as UCS-2 (they are not in GSM 03.38), é and ü as GSM-7', () => {
    expect(smsEncodingOf('financiële').ucs2Characters).toEqual(['ë']);
    expect(smsEncodingOf('€\u00a0125').ucs2Characters).toEqual(['\u00a0']);
    expect(smsEncodingOf('één müesli').encoding).toBe('GSM-7');
  });

  it('describes a character for a report', () => {
    expect(describeCharacter('’')).toBe('"’" (U+2019)');
    expect(describeCharacter('\u00a0')).toBe('U+00A0');
  });

  it('holds for any text: parts × room covers the length, and one part less would not', () => {
    const gsm = fc.array(fc.constantFrom(...GSM7_BASIC, '€', '['), { maxLength: 700 }).map((a) => a.join(''));
    const any = fc.string({ unit: 'grapheme', maxLength: 400 });
    fc.assert(
      fc.property(fc.oneof(gsm, any), (text) => {
        const r = smsEncodingOf(text);
        if (r.encoding === 'GSM-7') expect(r.ucs2Characters).toEqual([]);
        else expect(r.ucs2Characters.length).toBeGreaterThan(0);
        expect(r.segments * r.perSegment).toBeGreaterThanOrEqual(r.length);
        if (r.segments > 1) expect((r.segments - 1) * r.perSegment).toBeLessThan(r.length + r.segments);
      }),
    );
  });
});
