/**
 * Lays a letter out as an A4 PDF for a window envelope (pdf-lib, standard fonts): the sender's details
 * top right, the return line and the recipient's address in the window (DIN 5008 form B / NEN 1026:
 * 20 mm from the left, from 45 mm below the top, 85 × 45 mm), then the date, the subject in bold,
 * the body, the pay details and the sender's contact lines at the foot of each page.
 * Only the posting function imports this module: pdf-lib stays out of the journey step's bundle.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { LetterSender, LetterToPost } from '#core/letter.ts';

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
const LEFT = 25 * MM;
const RIGHT = A4.width - 20 * MM;
const WINDOW = { left: 20 * MM, top: 45 * MM, width: 85 * MM, height: 45 * MM };
const BODY_TOP = 105 * MM;
const FOOTER = 15 * MM;
const BODY_SIZE = 10.5;
const LINE = BODY_SIZE * 1.35;

const LABELS: Record<
  'nl' | 'en',
  { payDetails: string; amount: string; reference: string; account: string; online: string; page: string }
> = {
  nl: {
    payDetails: 'Betaalgegevens',
    amount: 'Bedrag',
    reference: 'Kenmerk',
    account: 'Rekening (IBAN)',
    online: 'Online betalen',
    page: 'Pagina',
  },
  en: {
    payDetails: 'Payment details',
    amount: 'Amount',
    reference: 'Reference',
    account: 'Account (IBAN)',
    online: 'Pay online',
    page: 'Page',
  },
};

// WinAnsi (the standard fonts' encoding) beyond Latin-1: what pdf-lib can write without embedding a font.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Returns the text in characters the standard fonts can write: Latin-1 and WinAnsi's extras as they
 * are (€, ë, ç, é), any other letter without its accent (ł → l after NFD, ő → o), anything else `?`.
 */
export function winAnsiText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\n') out += ch;
    else if (ch === '\t') out += ' ';
    else if (ch === 'ł' || ch === 'Ł') out += ch === 'ł' ? 'l' : 'L';
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e]$/.test(base) ? base : '?';
    }
  }
  return out;
}

/** Returns the lines of a paragraph wrapped to `width` points. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Returns the letter's date as printed: `7 december 2026`, `7 December 2026`. */
function printedDate(isoDate: string, locale: string): string {
  // Plain `en` would write the American order (December 7, 2026); a letter from Europe writes 7 December.
  const dateLocale = locale.toLowerCase() === 'en' ? 'en-GB' : locale;
  return new Intl.DateTimeFormat(dateLocale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** Returns the recipient's address lines as printed in the window: a foreign country last, in capitals. */
export function windowLines(letter: Pick<LetterToPost, 'recipient'>, homeCountry: string): string[] {
  const { name, address } = letter.recipient;
  return [
    name,
    address.line1 ?? '',
    address.line2 ?? '',
    `${address.postalCode ?? ''}  ${address.city ?? ''}`.trim(),
    address.country && address.country !== homeCountry ? address.country : '',
  ].filter((line) => line.trim() !== '');
}

/** Renders the letter as a PDF; returns its bytes and its number of pages. */
export async function renderLetterPdf(
  letter: LetterToPost,
  sender: LetterSender,
  options: { homeCountry?: string } = {},
): Promise<{ pdf: Uint8Array; pages: number }> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsiText(letter.subject));
  doc.setAuthor(winAnsiText(sender.name));
  doc.setCreationDate(new Date(`${letter.date}T12:00:00Z`));
  doc.setModificationDate(new Date(`${letter.date}T12:00:00Z`));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const labels = LABELS[letter.locale.toLowerCase().startsWith('nl') ? 'nl' : 'en'];
  const ink = rgb(0.1, 0.1, 0.1);
  const grey = rgb(0.35, 0.35, 0.35);
  const text = (
    page: PDFPage,
    value: string,
    x: number,
    top: number,
    size: number,
    font = regular,
    color = ink,
  ) => page.drawText(winAnsiText(value), { x, y: A4.height - top - size, size, font, color });

  const pages: PDFPage[] = [];
  const newPage = () => {
    const page = doc.addPage([A4.width, A4.height]);
    pages.push(page);
    return page;
  };
  let page = newPage();

  // Sender, top right.
  let top = 15 * MM;
  for (const [i, line] of [sender.name, ...sender.address].entries()) {
    const font = i === 0 ? bold : regular;
    const size = i === 0 ? 11 : 9;
    const value = winAnsiText(line);
    text(page, value, RIGHT - font.widthOfTextAtSize(value, size), top, size, font);
    top += size * 1.4;
  }

  // The window: the return line, then the recipient.
  const returnLine = winAnsiText([sender.name, ...sender.address].join(' · '));
  text(page, returnLine, WINDOW.left, WINDOW.top + 3 * MM, 7, regular, grey);
  top = WINDOW.top + 12 * MM;
  for (const line of windowLines(letter, options.homeCountry ?? 'NL')) {
    text(page, line, WINDOW.left, top, 10.5);
    top += 10.5 * 1.35;
  }

  // Date, subject, body.
  top = BODY_TOP;
  text(page, printedDate(letter.date, letter.locale), LEFT, top, BODY_SIZE);
  top += LINE * 2;
  for (const line of wrap(winAnsiText(letter.subject), bold, 11, RIGHT - LEFT)) {
    text(page, line, LEFT, top, 11, bold);
    top += 11 * 1.4;
  }
  top += LINE;
  const bottom = A4.height - FOOTER - 12 * MM;
  const write = (line: string, font = regular) => {
    if (top + LINE > bottom) {
      page = newPage();
      top = 25 * MM;
    }
    text(page, line, LEFT, top, BODY_SIZE, font);
    top += LINE;
  };
  for (const line of wrap(winAnsiText(letter.text), regular, BODY_SIZE, RIGHT - LEFT)) write(line);

  if (letter.payment) {
    top += LINE;
    write(labels.payDetails, bold);
    const rows: Array<[string, string | undefined]> = [
      [labels.amount, letter.payment.amount],
      [labels.reference, letter.payment.reference],
      [labels.account, sender.iban],
      [labels.online, letter.payment.link],
    ];
    for (const [label, value] of rows) if (value) write(`${label}: ${value}`);
  }

  // Footer on every page: contact lines and page numbers.
  for (const [i, each] of pages.entries()) {
    const footer = winAnsiText([sender.name, ...sender.contact].join(' · '));
    text(each, footer, LEFT, A4.height - FOOTER - 8, 8, regular, grey);
    const number = `${labels.page} ${i + 1}/${pages.length}`;
    text(
      each,
      number,
      RIGHT - regular.widthOfTextAtSize(number, 8),
      A4.height - FOOTER - 8,
      8,
      regular,
      grey,
    );
  }
  return { pdf: await doc.save(), pages: pages.length };
}
