/**
 * Smart encoding and the part count, tested against an independent counter (split-sms) over every
 * BMP code point and every shipped SMS text. One deliberate difference: split-sms reports an empty
 * text as one empty part, ours as 0 parts (nothing is sent, nothing is billed).
 */
import { split } from 'split-sms';
import { describe, expect, it } from 'vitest';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { sampleDataFor } from '#application/templates/samples.ts';
import { renderMessage } from '#core/render.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { type SmsLetters, smartEncodeSms } from '#core/sms-smart-encoding.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());

/** Our encoding and parts next to split-sms's, for one text. */
function bothCounts(text: string) {
  const ours = smsEncodingOf(text);
  const theirs = split(text, { summary: true });
  return {
    ours: { encoding: ours.encoding, parts: ours.segments },
    theirs: { encoding: theirs.characterSet === 'GSM' ? 'GSM-7' : 'UCS-2', parts: theirs.parts.length },
  };
}

function* bmpCharacters() {
  for (let code = 0; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue; // surrogates are halves of a character, not characters
    yield String.fromCharCode(code);
  }
}

/** Lengths around every part boundary of both encodings. */
const LENGTHS = [1, 67, 68, 70, 71, 134, 135, 152, 153, 154, 160, 161, 306, 307];

describe('the SMS counter against split-sms', () => {
  it('agrees on encoding and parts for every BMP character, alone and repeated around each part boundary', () => {
    const disagreements: string[] = [];
    for (const char of bmpCharacters()) {
      for (const n of [1, 70, 71, 153, 161]) {
        const { ours, theirs } = bothCounts(char.repeat(n));
        if (ours.encoding !== theirs.encoding || ours.parts !== theirs.parts)
          disagreements.push(`U+${char.charCodeAt(0).toString(16)} ×${n}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('agrees on mixed texts: extension characters and emoji at the part boundaries', () => {
    for (const n of LENGTHS) {
      for (const text of [
        `${'a'.repeat(n)}€${'a'.repeat(n)}`,
        `${'a'.repeat(n)}ë${'a'.repeat(n)}`,
        `${'é'.repeat(n)}😀${'x'.repeat(n)}`,
        `${'[]'.repeat(n)}a`,
      ]) {
        const { ours, theirs } = bothCounts(text);
        expect(ours, `${text.length} characters`).toEqual(theirs);
      }
    }
  });

  it('turns every BMP character with a GSM-7 equivalent into GSM-7 text that split-sms counts the same', () => {
    for (const char of bmpCharacters()) {
      for (const letters of ['keep', 'transliterate'] as const) {
        const { text, kept } = smartEncodeSms(`a${char}b`, letters);
        const { ours, theirs } = bothCounts(text);
        expect(ours, `U+${char.charCodeAt(0).toString(16)}`).toEqual(theirs);
        // Whatever is not kept by choice has become GSM-7.
        expect(ours.encoding === 'GSM-7', `U+${char.charCodeAt(0).toString(16)}`).toBe(kept.length === 0);
      }
    }
  });

  it('writes typographic punctuation, Unicode spaces and bullets as GSM-7 and drops invisible ones', () => {
    const punctuation = '’‘‚“”„–—…•\u00a0\u2009\u202f\u3000';
    const { text, replaced, kept } = smartEncodeSms(`x${punctuation}\u00ad\u200b\u200f\u0007x`, 'keep');
    // The four spaces collapse into one: dropped characters never leave a doubled space.
    expect(text).toBe(`x'',"""--...- x`);
    expect(kept).toEqual([]);
    expect(replaced.invisible).toEqual(['U+0007', 'U+00AD', 'U+200B', 'U+200F']);
    expect(replaced.punctuation).toHaveLength([...punctuation].length);
  });

  it('keeps or transliterates letters outside GSM-7 as asked, leaves GSM-7 letters (é, ü, ñ) alone', () => {
    expect(smartEncodeSms('Zoë Çelik Łódź één müesli', 'keep')).toMatchObject({
      text: 'Zoë Çelik Łódź één müesli',
      kept: ['ë', 'Ł', 'ó', 'ź'],
    });
    expect(smartEncodeSms('Zoë Çelik Łódź één müesli', 'transliterate')).toMatchObject({
      text: 'Zoe Çelik Lodz één müesli',
      kept: [],
      replaced: { transliterated: ['U+00EB', 'U+00F3', 'U+0141', 'U+017A'] },
    });
    // A script without a GSM-7 form stays readable (UCS-2) rather than becoming question marks.
    expect(smartEncodeSms('Дмитрий', 'transliterate')).toMatchObject({
      text: 'Дмитрий',
      kept: [...new Set('Дмитрий')],
    });
  });

  it('leaves emoji out when letters are transliterated, without a doubled space', () => {
    expect(smartEncodeSms('Hoi Sam 👍🏽 , tot ziens 😀!', 'transliterate')).toMatchObject({
      text: 'Hoi Sam, tot ziens!',
      replaced: { emoji: ['U+1F3FD', 'U+1F44D', 'U+1F600'] },
    });
    expect(smartEncodeSms('Hoi 👍', 'keep').kept).toEqual(['👍']);
  });

  const shipped = Object.entries(catalog.templates).flatMap(([templateId, locales]) =>
    Object.entries(locales).flatMap(([locale, variants]) =>
      Object.entries(variants)
        .filter(([, channels]) => channels?.sms)
        .map(([tone]) => ({ templateId, locale, tone })),
    ),
  );
  const NAMES = [
    'Jan',
    '’s-Hertogenbosch B.V.',
    'Zoë\u00a0de\u00a0Vries',
    'Łukasz Wałęsa 👍🏽',
    'Sam\u200f\u0007 Ça',
  ];

  it.each(shipped)(
    'agrees on every shipped SMS text: $templateId $locale $tone, sample and awkward names',
    (c) => {
      const sample = sampleDataFor(catalog, { ...c, channel: 'sms' }) as unknown as Record<string, unknown>;
      for (const name of [undefined, ...NAMES]) {
        for (const letters of ['keep', 'transliterate'] as SmsLetters[]) {
          const data = name ? { ...sample, customer: { givenName: name, familyName: name } } : sample;
          const { message } = renderMessage({
            catalog,
            ...c,
            channel: 'sms',
            data,
            defaultLocale: 'nl',
            smsLetters: letters,
          });
          if (message.channel !== 'sms') throw new Error('expected an SMS');
          const theirs = split(message.text, { summary: true });
          expect({ encoding: message.encoding, parts: message.segments }).toEqual({
            encoding: theirs.characterSet === 'GSM' ? 'GSM-7' : 'UCS-2',
            parts: theirs.parts.length,
          });
        }
      }
    },
  );
});
