import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { compileFastTemplate } from '#core/liquid-fast-path.ts';
import { FAST_FILTERS, makeEngine } from '#core/render.ts';

const engines = { html: makeEngine(true), text: makeEngine(false) };

/** Returns liquidjs's rendering, or 'error' when it throws. */
function withLiquidjs(
  source: string,
  html: boolean,
  scope: Record<string, unknown>,
  globals: Record<string, unknown>,
) {
  const engine = html ? engines.html : engines.text;
  try {
    return engine.parseAndRenderSync(source, scope, { globals }) as string;
  } catch {
    return 'error';
  }
}

/** The fast path must give liquidjs's output, or step aside (undefined) — never something else. */
function expectSameAsLiquidjs(
  source: string,
  html: boolean,
  scope: Record<string, unknown>,
  globals: Record<string, unknown>,
) {
  const fast = compileFastTemplate(source, { escape: html, filters: FAST_FILTERS });
  const expected = withLiquidjs(source, html, scope, globals);
  const quick = fast?.(scope, globals);
  if (quick !== undefined) expect(quick).toBe(expected);
  return { fast, quick, expected };
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[{}%]/g, ''));
const value = fc.oneof(
  text,
  fc.constantFrom('<b>Jan</b>', 'Tom & Jerry', `O'Brien "the" <3`, 'Zoë', ''),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant({ nested: 'x' }),
);
const scopeArb = fc.record({
  customer: fc.record({ givenName: value, familyName: value }),
  invoice: fc.record({
    id: value,
    amount: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), value),
    currency: fc.constantFrom('EUR', 'USD', 'eur', 'GBP'),
    dueDate: fc.constantFrom('2026-12-01', '2026-12-01T23:30:00Z', 'not a date'),
    payUrl: fc.constantFrom('https://pay.example.com/i/1?a=1&b=2'),
  }),
  blocks: fc.record({ 'amount-due': value, greeting: value }),
});
const expression = fc.constantFrom(
  'customer.givenName',
  'customer.familyName',
  'invoice.id',
  'invoice.amount | money: invoice.currency',
  "invoice.amount | money: 'EUR', 'en-GB'",
  'invoice.dueDate | date',
  'invoice.dueDate | datetime',
  "invoice.dueDate | date: 'en-US'",
  'invoice.payUrl',
  'blocks.amount-due',
  'blocks.greeting',
  'locale',
  'missing',
  'customer.missing',
  'customer',
  'invoice.id | money: invoice.currency',
  'invoice.amount | upcase',
  'customer.givenName | raw',
);
const template = fc
  .array(fc.tuple(text, expression, fc.constantFrom('{{ ', '{{', '{{  ')), { maxLength: 6 })
  .chain((parts) =>
    text.map((tail) => parts.map(([before, expr, open]) => `${before}${open}${expr} }}`).join('') + tail),
  );

describe('the Liquid fast path', () => {
  it('renders exactly what liquidjs renders, or leaves the render to liquidjs', () => {
    fc.assert(
      fc.property(
        template,
        scopeArb,
        fc.boolean(),
        fc.constantFrom('nl-NL', 'en-GB', 'nl'),
        (source, scope, html, locale) => {
          expectSameAsLiquidjs(source, html, scope, { locale, timezone: 'Europe/Amsterdam' });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles every shipped template with plain data itself, and agrees with liquidjs on it', () => {
    const catalog = loadTemplateCatalog(defaultTemplatesDir());
    const scope = {
      customer: { givenName: '<b>Jan</b> & "co"', familyName: "O'Brien" },
      invoice: {
        type: 'invoice',
        id: 'INV-1',
        amount: 1234.5,
        currency: 'EUR',
        dueDate: '2026-12-01',
        payUrl: 'https://pay.example.com/?a=1&b=2',
      },
      account: { type: 'account', id: 'ACC-1', activationUrl: 'https://portal.example/activate?a=1&b=2' },
      appointment: {
        type: 'appointment',
        id: 'APT-1',
        startsAt: '2026-12-08T10:30:00+01:00',
        locationName: 'Keuring & co',
        manageUrl: 'https://portal.example/a?x=1&y=2',
      },
      links: {
        pay: 'https://pay.example.com/?a=1&b=2',
        activate: 'https://portal.example/activate?a=1&b=2',
        manage: 'https://portal.example/a?x=1&y=2',
        survey: 'https://survey.example/s?x=1&y=2',
        portal: 'https://p.example',
        unsubscribe: 'https://u.example/?t=a',
      },
      blocks: {
        greeting: 'Beste <Jan>',
        'amount-due': 'x & y',
        'next-step': 'n',
        main: 'm & n',
        when: 'w',
        help: 'h',
        'already-paid': 'a',
        footer: 'f',
      },
      subject: 'Onderwerp "x"',
    };
    let handled = 0;
    for (const locales of Object.values(catalog.templates)) {
      for (const tones of Object.values(locales)) {
        for (const variant of Object.values(tones)) {
          const parts: Array<[string, boolean]> = [
            ...Object.values(variant?.blocks ?? {}).map((b): [string, boolean] => [b, false]),
            ...(variant?.email
              ? ([
                  [variant.email.subject, false],
                  [variant.email.html, true],
                  [variant.email.text, false],
                ] as Array<[string, boolean]>)
              : []),
            ...(variant?.sms ? ([[variant.sms.text, false]] as Array<[string, boolean]>) : []),
          ];
          for (const [source, html] of parts) {
            const { quick, expected } = expectSameAsLiquidjs(source, html, scope, { locale: 'nl-NL' });
            if (quick !== undefined) handled++;
            else expect(source).toContain('{%'); // only blocks with tags go to liquidjs
            expect(expected).not.toBe('error');
          }
        }
      }
    }
    expect(handled).toBeGreaterThan(30);
  });

  it('does not compile tags, whitespace control or filters it does not know', () => {
    const options = { escape: false, filters: FAST_FILTERS };
    expect(compileFastTemplate('{% if x %}y{% endif %}', options)).toBeNull();
    expect(compileFastTemplate('{{- x -}}', options)).toBeNull();
    expect(compileFastTemplate('{{ x | upcase }}', options)).toBeNull();
    expect(compileFastTemplate('{{ x | money: currency: "EUR" }}', options)).toBeNull();
    expect(compileFastTemplate('{{ "literal" }}', options)).toBeNull();
    expect(compileFastTemplate('a }} b', options)).toBeNull();
    expect(compileFastTemplate('plain', options)?.({}, {})).toBe('plain');
  });
});
