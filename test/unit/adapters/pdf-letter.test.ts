import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderLetterPdf, winAnsiText, windowLines } from '#adapters/pdf-letter.ts';
import type { LetterSender, LetterToPost } from '#core/letter.ts';

const sender: LetterSender = {
  name: 'Waterbedrijf Voorbeeld',
  address: ['Postbus 100', '3500 AA Utrecht'],
  contact: ['030 123 45 67', 'voorbeeld.nl/klantportaal'],
  iban: 'NL91 ABNA 0417 1643 00',
};

const letter: LetterToPost = {
  letterId: 'msg-1',
  customerId: 'c-1020',
  runId: 'run-1',
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  templateId: 'payment-reminder',
  locale: 'nl',
  recordedAt: '2026-12-07T10:00:00.000Z',
  date: '2026-12-07',
  recipient: {
    name: 'Mevrouw Geertruida Jansen-Ōhashi',
    address: { line1: 'Dorpsstraat 12', postalCode: '3511 AB', city: 'Utrecht', country: 'NL' },
  },
  subject: 'Herinnering: factuur INV-2026-0042 staat nog open',
  text: 'Beste mevrouw Jansen,\n\nFactuur INV-2026-0042 van € 1.234,56 is nog niet betaald.',
  payment: { amount: '€ 1.234,56', reference: 'INV-2026-0042', link: 'https://pay.example.nl/i/42' },
};

const textOf = async (pdf: Uint8Array) => {
  const { text } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
  return text;
};

describe('a letter as PDF', () => {
  it('names the amount, the reference and the address in text a reader can extract', async () => {
    const { pdf, pages } = await renderLetterPdf(letter, sender);
    expect(pages).toBe(1);
    const text = await textOf(pdf);
    for (const expected of [
      'Dorpsstraat 12',
      '3511 AB',
      'Utrecht',
      '€ 1.234,56',
      'INV-2026-0042',
      'NL91 ABNA 0417 1643 00',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('7 december 2026');
    expect(text).toContain('Betaalgegevens');
    // A letter in the home country carries no country line; a name outside WinAnsi keeps its letters' base.
    expect(text).toContain('Jansen-Ohashi');
  });

  it('writes an English letter with English labels and a foreign country in the window', async () => {
    const abroad = {
      ...letter,
      locale: 'en',
      recipient: { ...letter.recipient, address: { ...letter.recipient.address, country: 'BE' } },
    };
    const text = await textOf((await renderLetterPdf(abroad, sender)).pdf);
    expect(text).toContain('Payment details');
    expect(text).toContain('7 December 2026');
    expect(windowLines(abroad, 'NL').at(-1)).toBe('BE');
  });

  it('runs a long body onto more pages', async () => {
    const long = { ...letter, text: Array.from({ length: 120 }, (_, i) => `Regel ${i + 1}.`).join('\n') };
    const { pdf, pages } = await renderLetterPdf(long, sender);
    expect(pages).toBeGreaterThan(1);
    expect(await textOf(pdf)).toContain('Regel 120.');
  });

  it('keeps € and Dutch letters and maps the rest to what the standard fonts can write', () => {
    expect(winAnsiText('€ 12,50 — café, ë, ł, 😀')).toBe('€ 12,50 — café, ë, l, ?');
  });
});
