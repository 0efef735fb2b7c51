import { describe, expect, it } from 'vitest';
import type { Channel } from '#core/customer.ts';
import type { Tone } from '#core/policy.ts';
import { type RenderedMessage, renderMessage, smsLimitOf, type TemplateCatalog } from '#core/render.ts';
import { sampleTemplateData } from '../../fixtures/template-data.ts';

/** A small catalog in the shape of templates/payment-reminder, so these tests do not follow copy changes. */
const catalog = (): TemplateCatalog => ({
  templates: {
    reminder: {
      nl: {
        friendly: {
          email: {
            subject: 'Factuur {{ invoice.id }}',
            html: '<p>Beste {{ customer.givenName }}, betaal {{ invoice.amount | money: invoice.currency }} vóór {{ invoice.dueDate | date }}: <a href="{{ invoice.payUrl }}">betalen</a></p>',
            text: 'Beste {% if customer.givenName %}{{ customer.givenName }}{% else %}klant{% endif %}, betaal {{ invoice.amount | money: invoice.currency }} vóór {{ invoice.dueDate | date }}: {{ invoice.payUrl }}\n',
          },
          sms: {
            text: 'Factuur {{ invoice.id }}: {{ invoice.amount | money: invoice.currency }}. {{ invoice.payUrl }}\n',
          },
        },
        firm: {
          email: {
            subject: 'Tweede herinnering {{ invoice.id }}',
            html: '<p>Incasso volgt</p>',
            text: 'Incasso volgt',
          },
          sms: { text: 'Tweede herinnering {{ invoice.id }}: incassobureau volgt.' },
        },
      },
      en: {
        friendly: {
          email: {
            subject: 'Invoice {{ invoice.id }}',
            html: '<p>Dear {{ customer.givenName }}, {{ invoice.amount | money: invoice.currency }} due {{ invoice.dueDate | date }}</p>',
            text: 'Dear {{ customer.givenName }}, {{ invoice.amount | money: invoice.currency }} due {{ invoice.dueDate | date }}',
          },
          sms: { text: 'Invoice {{ invoice.id }}: {{ invoice.amount | money: invoice.currency }}' },
        },
      },
    },
  },
});

const render = (
  opts: {
    channel?: Channel;
    locale?: string;
    tone?: Tone;
    data?: Record<string, unknown>;
    c?: TemplateCatalog;
  } = {},
) =>
  renderMessage({
    catalog: opts.c ?? catalog(),
    templateId: 'reminder',
    channel: opts.channel ?? 'email',
    locale: opts.locale ?? 'nl-NL',
    tone: opts.tone ?? 'friendly',
    data: opts.data ?? sampleTemplateData,
    defaultLocale: 'nl',
  });

const asEmail = (message: RenderedMessage) => {
  if (message.channel !== 'email') throw new Error('expected an email');
  return message;
};

describe('renderMessage', () => {
  it('renders a Dutch email with the amount, due date and pay link in Dutch formats', () => {
    const { message } = render();
    const email = asEmail(message);
    expect(email).toMatchObject({ channel: 'email', locale: 'nl', subject: 'Factuur INV-2026-0042' });
    expect(email.text).toBe(
      'Beste Sanne, betaal € 125,50 vóór 1 december 2026: https://pay.example.com/i/INV-2026-0042',
    );
  });

  it('renders an SMS as plain text without no-break spaces (they would make it UCS-2)', () => {
    const { message } = render({ channel: 'sms' });
    expect(message).toEqual({
      channel: 'sms',
      locale: 'nl',
      text: 'Factuur INV-2026-0042: € 125,50. https://pay.example.com/i/INV-2026-0042',
      encoding: 'GSM-7',
      segments: 1,
      form: 'normal',
    });
  });

  it("writes a letter from its own letter.liquid under the email's subject, else from the email's text without its footer", () => {
    const c = catalog();
    const friendly = c.templates.reminder?.nl?.friendly;
    if (!friendly?.email) throw new Error('fixture');
    friendly.email.text =
      'Betaal via {{ invoice.payUrl }}\n\n--\nAfmelden voor e-mail: https://example.com/u';
    friendly.blocks = {
      'amount-due': 'Factuur {{ invoice.id }}: {{ invoice.amount | money: invoice.currency }}.',
    };
    const fromEmail = render({ channel: 'letter', c });
    expect(fromEmail.message).toEqual({
      channel: 'letter',
      locale: 'nl',
      subject: 'Factuur INV-2026-0042',
      text: 'Betaal via https://pay.example.com/i/INV-2026-0042',
    });
    friendly.letter = { text: '{{ blocks.amount-due }}\nMaak het over met kenmerk {{ invoice.id }}.\n' };
    const own = render({ channel: 'letter', c });
    expect(own.message).toEqual({
      channel: 'letter',
      locale: 'nl',
      subject: 'Factuur INV-2026-0042',
      text: 'Factuur INV-2026-0042: € 125,50.\nMaak het over met kenmerk INV-2026-0042.',
    });
    expect(own.reasons).toContain('rendered reminder letter in nl from its letter text');
    // The email does not change with the letter.
    expect(asEmail(render({ c }).message).text).toContain('Afmelden voor e-mail');
  });

  it('renders shared blocks once and hands the same words to every part', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly?.email) throw new Error('fixture');
    nl.friendly.blocks = {
      'amount-due': 'Factuur {{ invoice.id }}: {{ invoice.amount | money: invoice.currency }}.',
    };
    nl.friendly.email = {
      subject: '{{ blocks.amount-due }}',
      html: '<html><body><p>{{ blocks.amount-due }}</p><title>{{ subject }}</title></body></html>',
      text: '{{ blocks.amount-due }} Betaal: {{ invoice.payUrl }}',
    };
    nl.friendly.sms = { text: '{{ blocks.amount-due }}' };
    const email = asEmail(render({ c }).message);
    expect(email.subject).toBe('Factuur INV-2026-0042: € 125,50.');
    expect(email.text).toBe(
      'Factuur INV-2026-0042: € 125,50. Betaal: https://pay.example.com/i/INV-2026-0042',
    );
    expect(email.html).toBe(
      '<html><body><p>Factuur INV-2026-0042: € 125,50.</p><title>Factuur INV-2026-0042: € 125,50.</title></body></html>',
    );
    expect(render({ c, channel: 'sms' }).message.text).toBe('Factuur INV-2026-0042: € 125,50.');
  });

  it('escapes a block in the HTML part (blocks are text)', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly) throw new Error('fixture');
    nl.friendly.blocks = { greeting: 'Beste {{ customer.givenName }} & co' };
    nl.friendly.email = { subject: 'x', html: '<p>{{ blocks.greeting }}</p>', text: '{{ blocks.greeting }}' };
    const data = { ...sampleTemplateData, customer: { givenName: '<b>Jan</b>', familyName: '' } };
    const email = asEmail(render({ c, data }).message);
    expect(email.html).toBe('<p>Beste &lt;b&gt;Jan&lt;/b&gt; &amp; co</p>');
    expect(email.text).toBe('Beste <b>Jan</b> & co');
  });

  it('fails naming the block when a block uses a variable the step does not provide', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly) throw new Error('fixture');
    nl.friendly.blocks = { 'next-step': 'Betaal voor {{ invoice.deadline }}', greeting: 'Hoi' };
    nl.friendly.sms = { text: '{{ blocks.greeting }}' };
    // An SMS renders only the blocks it names: the greeting works, the broken block is not needed.
    expect(render({ c, channel: 'sms' }).message.text).toBe('Hoi');
    nl.friendly.sms = { text: "{{ blocks['next-step'] }}" };
    expect(() => render({ c: structuredClone(c), channel: 'sms' })).toThrow(
      /reminder\/nl\/friendly\/blocks\/next-step.*deadline/s,
    );
  });

  it('counts SMS parts and says when a text is longer than the template allows', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly) throw new Error('fixture');
    // A Cyrillic letter has no GSM-7 form, so the text stays UCS-2 however letters are treated.
    nl.friendly.sms = { text: `${'x'.repeat(200)} Д` };
    c.info = {
      reminder: {
        description: 'test',
        smsMaxSegments: 2,
        sample: { customer: {}, subject: sampleTemplateData.invoice },
      },
    };
    const { message, reasons } = render({ c, channel: 'sms' });
    expect(message).toMatchObject({ encoding: 'UCS-2', segments: 4 });
    expect(reasons).toContain("sms longer than the template's limit of 2 parts");
  });

  it('renders the short SMS text when asked, with its own blocks, and says which text went out', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly || !nl.firm) throw new Error('fixture');
    nl.friendly.blocks = {
      due: 'Betaal {{ invoice.amount | money: invoice.currency }}.',
      greeting: 'Beste {{ x }}',
    };
    nl.friendly.sms = {
      text: 'Factuur {{ invoice.id }} van {{ customer.familyName }}: {{ blocks.due }} {{ invoice.payUrl }}',
      short: '{{ blocks.due }} {{ invoice.payUrl }}',
    };
    const sms = (tone: Tone, smsForm?: 'normal' | 'short') =>
      renderMessage({
        catalog: c,
        templateId: 'reminder',
        channel: 'sms',
        locale: 'nl',
        tone,
        data: sampleTemplateData,
        defaultLocale: 'nl',
        ...(smsForm ? { smsForm } : {}),
      });
    const normal = sms('friendly');
    expect(normal.message).toMatchObject({
      text: 'Factuur INV-2026-0042 van de Vries: Betaal € 125,50. https://pay.example.com/i/INV-2026-0042',
      form: 'normal',
    });
    // The greeting block uses a variable the data lacks: the short text does not name it, so it is not rendered.
    const short = sms('friendly', 'short');
    expect(short.message).toMatchObject({
      text: 'Betaal € 125,50. https://pay.example.com/i/INV-2026-0042',
      form: 'short',
      segments: 1,
    });
    expect(short.reasons).toContain('rendered reminder short sms in nl: 1 GSM-7 part(s)');
    // A variant without a short text gets its normal text, and the reasons say so.
    const firm = sms('firm', 'short');
    expect(firm.message).toMatchObject({
      text: 'Tweede herinnering INV-2026-0042: incassobureau volgt.',
      form: 'normal',
    });
    expect(firm.reasons).toContain('no short sms text');
  });

  it('holds each text variant to its own part limit when the template sets one per variant', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly || !nl.firm) throw new Error('fixture');
    // 200 GSM-7 characters: two parts.
    nl.friendly.sms = { text: 'x'.repeat(200) };
    nl.firm.sms = { text: 'x'.repeat(200) };
    c.info = {
      reminder: {
        description: 'test',
        smsMaxSegments: { friendly: 1, firm: 2 },
        sample: { customer: {}, subject: sampleTemplateData.invoice },
      },
    };
    expect(smsLimitOf(c, 'reminder', 'friendly')).toBe(1);
    expect(smsLimitOf(c, 'reminder', 'firm')).toBe(2);
    const over = "sms longer than the template's limit of 1 parts";
    expect(render({ c, channel: 'sms', tone: 'friendly' }).reasons).toContain(over);
    expect(
      render({ c, channel: 'sms', tone: 'firm' }).reasons.some((r) => r.includes("template's limit")),
    ).toBe(false);
  });

  it('writes punctuation and spaces in customer data as GSM-7, naming the code points, never the text', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly) throw new Error('fixture');
    nl.friendly.sms = {
      text: 'Hoi {{ customer.givenName }}, {{ invoice.amount | money: invoice.currency }} – betaal vandaag.',
    };
    const customer = { givenName: '’s-Hertogenbosch\u00a0B.V.\u200f', familyName: '' };
    const { message, reasons } = render({ c, channel: 'sms', data: { ...sampleTemplateData, customer } });
    expect(message).toMatchObject({
      text: "Hoi 's-Hertogenbosch B.V., € 125,50 - betaal vandaag.",
      encoding: 'GSM-7',
      segments: 1,
    });
    const why = reasons.find((r) => r.startsWith('sms smart encoding'));
    expect(why).toBe('sms smart encoding: punctuation (U+00A0 U+2013 U+2019); invisible (U+200F)');
    expect(reasons.join(' ')).not.toContain('Hertogenbosch');
  });

  it('keeps or transliterates letters as the policy says, and transliterates kept letters that break the part limit', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly) throw new Error('fixture');
    nl.friendly.sms = { text: `Hoi {{ customer.givenName }}, ${'x'.repeat(140)}` };
    c.info = {
      reminder: {
        description: 'test',
        smsMaxSegments: 3,
        sample: { customer: {}, subject: sampleTemplateData.invoice },
      },
    };
    const sms = (givenName: string, smsLetters: 'keep' | 'transliterate') =>
      renderMessage({
        catalog: c,
        templateId: 'reminder',
        channel: 'sms',
        locale: 'nl',
        tone: 'friendly',
        data: { ...sampleTemplateData, customer: { givenName, familyName: '' } },
        defaultLocale: 'nl',
        smsLetters,
      });
    expect(sms('Zoë', 'keep').message).toMatchObject({
      text: expect.stringContaining('Zoë'),
      encoding: 'UCS-2',
      segments: 3,
    });
    expect(sms('Zoë', 'keep').reasons).toContain('sms keeps 1 character(s) outside GSM-7: UCS-2');
    const bare = sms('Zoë', 'transliterate');
    expect(bare.message).toMatchObject({
      text: expect.stringContaining('Zoe,'),
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(bare.reasons).toContain('sms smart encoding: transliterated (U+00EB)');
    // Kept, an emoji and a ł would take 4 parts, above the limit of 3: the SMS goes out transliterated.
    const tooLong = sms(`Łukasz 👍 ${'ë'.repeat(60)}`, 'keep');
    expect(tooLong.message).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(tooLong.reasons).toContain('sms letters transliterated: 4 parts kept, limit 3');
    expect(tooLong.reasons.some((r) => r.includes('emoji (U+1F44D)'))).toBe(true);
  });

  it("shows a moment in the customer's time zone, and a calendar date as it is", () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (!nl?.friendly) throw new Error('fixture');
    nl.friendly.sms = { text: '{{ "2026-12-01T23:30:00Z" | datetime }} / {{ "2026-12-01" | date }}' };
    const inAmsterdam = renderMessage({
      catalog: c,
      templateId: 'reminder',
      channel: 'sms',
      locale: 'nl-NL',
      tone: 'friendly',
      data: sampleTemplateData,
      defaultLocale: 'nl',
      timezone: 'Europe/Amsterdam',
    });
    expect(inAmsterdam.message.text).toBe('2 december 2026 om 00:30 / 1 december 2026');
  });

  it('renders the firm tone when asked', () => {
    expect(render({ channel: 'sms', tone: 'firm' }).message).toMatchObject({
      text: 'Tweede herinnering INV-2026-0042: incassobureau volgt.',
    });
  });

  it('escapes HTML in data in the HTML part, and only there', () => {
    const data = { ...sampleTemplateData, customer: { givenName: '<b>Jan</b>', familyName: 'Jansen' } };
    const email = asEmail(render({ data }).message);
    expect(email.html).toContain('Beste &lt;b&gt;Jan&lt;/b&gt;,');
    expect(email.html).not.toContain('<b>Jan</b>');
    expect(email.text).toContain('Beste <b>Jan</b>,');
  });

  it('escapes an ampersand in a link in the HTML part', () => {
    const data = {
      ...sampleTemplateData,
      invoice: { ...sampleTemplateData.invoice, payUrl: 'https://pay.example.com/?a=1&b=2' },
    };
    expect(asEmail(render({ data }).message).html).toContain('href="https://pay.example.com/?a=1&amp;b=2"');
  });

  it('falls back from nl-BE to nl, and says so', () => {
    const { message, reasons } = render({ locale: 'nl-BE' });
    expect(message.locale).toBe('nl');
    expect(reasons).toContain('locale nl: language of nl-BE');
  });

  it('falls back from fr-FR to the default locale', () => {
    const { message, reasons } = render({ locale: 'fr-FR', channel: 'sms' });
    expect(message.locale).toBe('nl');
    expect(reasons).toContain('locale nl: default, no fr-FR or fr available');
  });

  it("writes amounts and dates in the customer's own English", () => {
    expect(asEmail(render({ locale: 'en-GB' }).message).text).toBe('Dear Sanne, €125.50 due 1 December 2026');
    expect(asEmail(render({ locale: 'en-US' }).message).text).toBe(
      'Dear Sanne, €125.50 due December 1, 2026',
    );
  });

  it('falls back to the friendly tone when a locale has no firm text, and says so', () => {
    const { message, reasons } = render({ locale: 'en', tone: 'firm', channel: 'sms' });
    expect(message).toMatchObject({ locale: 'en', text: 'Invoice INV-2026-0042: €125.50' });
    expect(reasons).toContain('tone friendly: template has no firm text for en');
  });

  it('greets an unnamed customer generically', () => {
    const data = { ...sampleTemplateData, customer: { givenName: '', familyName: '' } };
    expect(asEmail(render({ data }).message).text).toMatch(/^Beste klant,/);
  });

  it('writes an amount with its currency’s ISO 4217 decimals, exactly, and refuses one it cannot hold', () => {
    const sms = (amount: string, currency: string) => {
      const invoice = {
        ...sampleTemplateData.invoice,
        amount,
        currency,
      } as typeof sampleTemplateData.invoice;
      return render({ channel: 'sms', data: { ...sampleTemplateData, invoice } }).message.text;
    };
    expect(sms('999999999999.99', 'EUR')).toContain('€ 999.999.999.999,99.');
    // Locale data shows the Iraqi dinar without decimals; ISO 4217 gives it three.
    expect(sms('1.005', 'IQD')).toContain('IQD 1,005.');
    expect(sms('1000', 'JPY')).toContain('JP¥ 1.000.');
    expect(() => sms('0.001', 'EUR')).toThrow(/EUR has 2 decimals/);
  });

  it('fails on a missing variable (strict variables)', () => {
    const { invoice: _invoice, ...withoutInvoice } = sampleTemplateData;
    expect(() => render({ channel: 'sms', data: withoutInvoice })).toThrow(
      /reminder\/nl\/friendly\/sms.*invoice/s,
    );
  });

  it('fails on an unknown filter (strict filters)', () => {
    const c = catalog();
    const nl = c.templates.reminder?.nl;
    if (nl?.friendly) nl.friendly.sms = { text: '{{ invoice.amount | shout }}' };
    expect(() => render({ channel: 'sms', c })).toThrow(/shout/);
  });

  it('throws a clear error for a missing template or channel', () => {
    expect(() =>
      renderMessage({
        catalog: catalog(),
        templateId: 'welcome',
        channel: 'sms',
        locale: 'nl-NL',
        tone: 'firm',
        data: sampleTemplateData,
        defaultLocale: 'nl',
      }),
    ).toThrow('template welcome does not exist (channel sms, locale nl-NL, tone firm)');
    const c = catalog();
    const en = c.templates.reminder?.en?.friendly;
    if (en) delete en.sms;
    expect(() => render({ c, locale: 'en', channel: 'sms' })).toThrow(
      'template reminder has no sms for locale en, tone friendly',
    );
  });

  it('parses a template once per catalog, not per call', () => {
    const c = catalog();
    const first = render({ c, channel: 'sms' }).message;
    const nl = c.templates.reminder?.nl;
    if (nl?.friendly) nl.friendly.sms = { text: 'changed' };
    expect(render({ c, channel: 'sms' }).message).toEqual(first);
  });
});
