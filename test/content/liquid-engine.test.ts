/**
 * Klantreis's own Liquid engine against liquidjs, its oracle: for generated templates in the subset
 * Klantreis supports, for every shipped template, and for the errors a template author meets, our
 * engine must render exactly what liquidjs renders (configured as Klantreis configured it), or fail
 * where liquidjs fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { sampleDataFor } from '#application/templates/samples.ts';
import { compileLiquid, LiquidError, type LiquidOptions } from '#core/liquid/compile.ts';
import { STANDARD_FILTERS } from '#core/liquid/filters.ts';
import type { Tone } from '#core/policy.ts';
import { KLANTREIS_FILTERS, type ToneTemplates } from '#core/render.ts';
import { optOutText } from '#core/sms-opt-out.ts';
import { subjects } from '#subjects/registry.ts';
import { liquidjsRender, ourRender, outcomeOf, type RenderInput } from '../support/liquidjs-oracle.ts';

/** Renders with both engines; expects the same outcome, our failures typed, the scope untouched. */
function expectSameAsLiquidjs(source: string, input: RenderInput) {
  const before = structuredClone(input.scope);
  const expected = liquidjsRender(source, input);
  const actual = ourRender(source, input);
  expect(outcomeOf(actual), JSON.stringify({ source, input })).toEqual(outcomeOf(expected));
  if (!actual.ok) expect(actual.error).toBeInstanceOf(LiquidError);
  // renderMessage hands the same data to every part: an `assign` must not leak into it.
  expect(input.scope).toStrictEqual(before);
  return expected;
}

// ---------------------------------------------------------------------------------------------
// Data

const htmlStrings = ['<b>Jan</b>', 'Tom & Jerry', `O'Brien "the" <3`, '&amp;', '<script>x</script>'];
const plainStrings = ['', ' ', '  \n\t', 'Zoë', '日本語', '👍🏽', 'a,b, c', 'Jan', 'jan de vries', 'EUR'];
const numericStrings = ['0', '1', '1.5', '-2', ' 3 ', '1e3', '0x10', 'Infinity', '-', 'true', 'nil', 'abc'];
const dateStrings = ['2026-12-01', '2026-12-01T23:30:00Z', '2026-03-29T01:30:00+01:00', 'not a date'];
const stringValue = fc.oneof(
  fc.constantFrom(...htmlStrings, ...plainStrings, ...numericStrings, ...dateStrings),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const numberValue = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -0, 0.1, 0.5, 1.5, 2.5, -2.25, 1234.5, 123456.789, 1e21, 1e-7),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);
const arrayValue = fc.oneof(fc.array(stringValue, { maxLength: 3 }), fc.array(numberValue, { maxLength: 3 }));
const scalarValue = fc.oneof(
  stringValue,
  numberValue,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const anyValue = fc.oneof(
  { weight: 6, arbitrary: scalarValue },
  { weight: 1, arbitrary: arrayValue },
  { weight: 1, arbitrary: fc.constant({ nested: 'x' }) },
);

/** The variables a generated template may name; some are absent, to test missing variables. */
const scopeArb = fc.record(
  {
    s: stringValue,
    n: numberValue,
    b: fc.boolean(),
    x: anyValue,
    y: anyValue,
    z: fc.constant(null),
    u: fc.constant(undefined),
    cur: fc.constantFrom('EUR', 'USD', 'GBP', 'eur', 'EURO', 12),
    day: fc.constantFrom(...dateStrings, 20261201),
    o: fc.record(
      {
        name: anyValue,
        'b-c': anyValue,
        'a.b': anyValue,
        inner: fc.record({ x: anyValue }, { noNullPrototype: true }),
        key: fc.constantFrom('name', 'b-c'),
      },
      { requiredKeys: ['inner', 'key'], noNullPrototype: true },
    ),
    // Own properties named like Liquid's own `size` and `first`.
    own: fc.record({ size: anyValue, first: anyValue }, { noNullPrototype: true }),
    arr: fc.array(stringValue, { maxLength: 3 }),
    nums: fc.array(numberValue, { maxLength: 3 }),
  },
  // Data comes from JSON: plain objects, never null-prototype ones.
  { requiredKeys: ['s', 'n', 'b', 'z', 'o', 'own', 'arr', 'nums', 'cur', 'day'], noNullPrototype: true },
);

const globalsArb = fc.record(
  {
    locale: fc.constantFrom('nl-NL', 'en-GB', 'nl', 'en-US', 'de'),
    timezone: fc.constantFrom('Europe/Amsterdam', 'America/New_York', 'Not/AZone'),
  },
  { requiredKeys: ['locale'], noNullPrototype: true },
);

// ---------------------------------------------------------------------------------------------
// Template pieces

const presentPaths = fc.constantFrom(
  's',
  'n',
  'b',
  'x',
  'y',
  'z',
  'cur',
  'day',
  'o',
  'arr',
  'nums',
  'o.name',
  "o['b-c']",
  'o["b-c"]',
  'o.b-c',
  'o.inner.x',
  'o.inner',
  'o[o.key]',
  'arr.size',
  'arr.first',
  'arr.last',
  'arr[0]',
  'arr[1]',
  'nums.first',
  'nums.last',
  'nums.size',
  's.size',
  'x.size',
  'x.first',
  'x.last',
  'o.size',
  "o[ 'b-c' ]",
  "o['a.b']",
  'o.inner.x.size',
  'arr[-1]',
  'arr.length',
  's.length',
  's[0]',
  'own.size',
  'own.first',
);
/** Missing in the data (`u` is there, as undefined), or set by an assign or capture that may not have run. */
const otherPaths = fc.constantFrom(
  'u',
  'o.missing',
  'o.missing.deeper',
  'missing',
  'missing.deeper',
  'nums[7]',
  'v1',
  'v2',
  'c1',
  'v1.size',
  'v1.first',
  'c1.size',
);
const pathArb = fc.oneof({ weight: 4, arbitrary: presentPaths }, { weight: 1, arbitrary: otherPaths });

const quotedStrings = ['', ' ', 'a', 'Jan', 'EUR', 'en-GB', ',', '<b>&', '2026-12-01', '1', 'b-c', 'name'];
// Delimiters and operators inside quotes: the lexer must not take them for syntax.
// Not '%}': a tag ends at its first `%}` in both, and liquidjs then takes the open quote (we refuse it).
const trickyStrings = ['}}', 'a | upcase', 'x: y', '1, 2', ' or ', '{{ s }}', 'contains'];
const stringLiteral = fc.oneof(
  fc.constantFrom(...quotedStrings, "it's").map((v) => `"${v}"`),
  fc.constantFrom(...quotedStrings, 'say "hi"').map((v) => `'${v}'`),
  { weight: 1, arbitrary: fc.constantFrom(...trickyStrings).map((v) => `'${v}'`) },
);
const numberLiteral = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '3', '-1', '10', '1.5', '0.5', '-2.25', '100.0') },
  // Numbers as a lexer may misread them (liquidjs takes `1e3` for a variable).
  { weight: 1, arbitrary: fc.constantFrom('-0', '01', '1.50', '1e3', '+1', '2.5.1') },
);
const literalArb = fc.oneof(
  stringLiteral,
  numberLiteral,
  fc.constantFrom('true', 'false', 'nil', 'null', 'empty', 'blank'),
);
const operandArb = fc.oneof({ weight: 3, arbitrary: pathArb }, { weight: 2, arbitrary: literalArb });

const arg = (...values: fc.Arbitrary<string>[]) => fc.oneof(...values).map((a) => `: ${a}`);
const anyArgs = fc.oneof(
  fc.constant(''),
  operandArb.map((a) => `: ${a}`),
  fc.tuple(operandArb, operandArb).map(([a, b]) => `: ${a}, ${b}`),
);
const numberArg = fc.oneof(numberLiteral, fc.constantFrom('n', 'nums.first', "'2'", "'x'", 'nil'));
const stringArg = fc.oneof(stringLiteral, fc.constantFrom('s', 'o.name', '1', 'nil'));

/** Plausible arguments per filter (and some of the wrong type); a filter not listed gets any. */
const FILTER_ARGS: Record<string, fc.Arbitrary<string>> = {
  append: arg(stringArg),
  prepend: arg(stringArg),
  replace: fc.tuple(stringArg, stringArg).map(([a, b]) => `: ${a}, ${b}`),
  replace_first: fc.tuple(stringArg, stringArg).map(([a, b]) => `: ${a}, ${b}`),
  remove: arg(stringArg),
  remove_first: arg(stringArg),
  strip: fc.oneof(fc.constant(''), arg(stringArg)),
  lstrip: fc.oneof(fc.constant(''), arg(stringArg)),
  rstrip: fc.oneof(fc.constant(''), arg(stringArg)),
  truncate: fc.oneof(
    fc.constant(''),
    arg(numberArg),
    fc.tuple(numberArg, stringArg).map(([a, b]) => `: ${a}, ${b}`),
  ),
  truncatewords: fc.oneof(
    fc.constant(''),
    arg(numberArg),
    fc.tuple(numberArg, stringArg).map(([a, b]) => `: ${a}, ${b}`),
  ),
  plus: arg(numberArg),
  minus: arg(numberArg),
  times: arg(numberArg),
  divided_by: arg(numberArg),
  modulo: arg(numberArg),
  at_least: arg(numberArg),
  at_most: arg(numberArg),
  round: fc.oneof(fc.constant(''), arg(numberArg)),
  default: arg(operandArb),
  money: fc.oneof(
    arg(fc.constantFrom("'EUR'", "'USD'", 'cur', "'eur'", '12')),
    fc
      .tuple(fc.constantFrom("'EUR'", 'cur'), fc.constantFrom("'en-GB'", "'nl-NL'", "''", 's'))
      .map(([c, l]) => `: ${c}, ${l}`),
    fc.constant(''),
  ),
  date: fc.oneof(fc.constant(''), arg(fc.constantFrom("'en-US'", "'nl'", "''", 's'))),
  datetime: fc.oneof(fc.constant(''), arg(fc.constantFrom("'en-US'", "'nl'", "''", 's'))),
};
/** Filters taking no argument get none. */
const noArgs = fc.constant('');

const filterNames = [...Object.keys(STANDARD_FILTERS), ...Object.keys(KLANTREIS_FILTERS)];
const filterCall = fc
  .oneof(
    { weight: 100, arbitrary: fc.constantFrom(...filterNames) },
    // strictFilters: a misspelt filter fails to compile in both.
    { weight: 1, arbitrary: fc.constant('mony') },
  )
  .chain((name) =>
    // Now and then any arguments, of any number, as a template author might write them.
    fc
      .oneof(
        { weight: 6, arbitrary: FILTER_ARGS[name] ?? noArgs },
        // A second argument to `default` is one compile.ts documents as refused.
        { weight: 1, arbitrary: name === 'default' ? (FILTER_ARGS.default ?? noArgs) : anyArgs },
      )
      .map((args) => `${name}${args}`),
  );

const gap = fc.constantFrom(' ', ' ', ' ', '', '  ', '\n');
/** A value with 0–2 filters: `o.name | append: 'x' | upcase`. */
const filteredArb = fc
  .tuple(operandArb, fc.array(fc.tuple(gap, filterCall), { maxLength: 2 }))
  .map(([value, filters]) => value + filters.map(([g, f]) => `${g}|${g}${f}`).join(''));

const openTag = fc.constantFrom('{%', '{%', '{%', '{%-');
const closeTag = fc.constantFrom('%}', '%}', '%}', '-%}');
/** `{% body %}` with optional whitespace control on either side. */
const tag = (body: fc.Arbitrary<string> | string) =>
  fc
    .tuple(openTag, gap, typeof body === 'string' ? fc.constant(body) : body, gap, closeTag)
    .map(([open, g1, b, g2, close]) => `${open}${g1}${b}${g2}${close}`);

const textArb = fc
  .array(
    fc.oneof(
      {
        weight: 20,
        arbitrary: fc.constantFrom('Hallo', 'a', ' ', '  ', '\n', '\n\n', '\t', ',', '<p>', '&', 'é', '-'),
      },
      // Blanks whitespace control may or may not trim.
      { weight: 2, arbitrary: fc.constantFrom('\r\n', '\r', '\v', '\f', '\u00A0', '\u2028', '\u3000') },
      { weight: 1, arbitrary: fc.constantFrom('{', '}', '%', '{ ', ' }', '% ') },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(''));

const outputArb = fc
  .tuple(
    fc.constantFrom('{{', '{{', '{{', '{{-'),
    gap,
    filteredArb,
    gap,
    fc.constantFrom('}}', '}}', '}}', '-}}'),
  )
  .map(([open, g1, value, g2, close]) => `${open}${g1}${value}${g2}${close}`);

const comparisonArb = fc
  .tuple(
    operandArb,
    fc.constantFrom('==', '!=', '<', '>', '<=', '>=', 'contains'),
    operandArb,
    fc.constantFrom(' ', ' ', ' ', ''),
  )
  .map(([a, op, b, space]) => (op === 'contains' ? `${a} ${op} ${b}` : `${a}${space}${op}${space}${b}`));
const termArb = fc.oneof(
  { weight: 3, arbitrary: operandArb },
  { weight: 3, arbitrary: comparisonArb },
  { weight: 1, arbitrary: fc.oneof(operandArb, comparisonArb).map((term) => `not ${term}`) },
);
const conditionArb = fc
  .tuple(termArb, fc.array(fc.tuple(fc.constantFrom('and', 'or'), termArb), { maxLength: 2 }))
  .map(([first, rest]) => first + rest.map(([op, term]) => ` ${op} ${term}`).join(''));

const inlineCommentArb = tag(fc.constantFrom('# note', '#note', '# {{ x }} and {', '#'));
const rawArb = fc
  .tuple(
    tag('raw'),
    fc.array(
      fc.oneof(
        textArb,
        fc.constantFrom('{{ x }}', '{% if %}', '{{', '}}', '{%- endif -%}', '{% endcomment %}'),
      ),
      { maxLength: 3 },
    ),
    // liquidjs does not end raw at `{%- endraw %}` nor `{% endraw-%}`: as the closer, either would
    // make raw swallow the tags after it up to the next `{% endraw %}`, leaving for instance a `when`
    // after an `else`; so here they only stand inside raw, where they are text.
    fc
      .tuple(fc.constantFrom('{%', '{%', '{%- endraw %}{%', '{% endraw-%}{%'), gap, gap, closeTag)
      .map(([open, g1, g2, close]) => `${open}${g1}endraw${g2 || ' '}${close}`),
  )
  .map(([open, body, close]) => open + body.join('') + close);
const assignArb = tag(
  fc.tuple(fc.constantFrom('v1', 'v2', 's'), filteredArb).map(([name, value]) => `assign ${name} = ${value}`),
);
const echoArb = tag(filteredArb.map((value) => `echo ${value}`));

/**
 * Mistakes a template author makes: liquidjs accepts some of them, so ours must too. Left out, as
 * compile.ts documents them as deliberately stricter: text after a value (`{{ a b }}`), a
 * `when`, `elsif` or `else` after `else`, and `.`, `|`, `:` or an operator with nothing after it. No unclosed block either (`{% if a %}`, `{% raw %}`): it would
 * take in the tags generated after it and make such an `else` of them.
 */
const malformedArb = fc.constantFrom(
  '{{ }}',
  '{{}}',
  '{% %}',
  "{{ s | append 'a' }}",
  '{{ s || upcase }}',
  '{{ o. name }}',
  '{{ o[name }}',
  '{{ s }',
  '{% if %}{% endif %}',
  '{% endif %}',
  '{% assign = 1 %}',
  '{% assign v1 1 %}',
  '{% assign v1 = %}',
  '{% assign v1 == 1 %}',
  '{% capture %}{% endcapture %}',
  '{% case %}{% endcase %}',
  '{% if (s) %}{% endif %}',
  '{% unless %}{% endunless %}',
  '{% endraw %}',
  '{{ s -}',
  '{%- -%}',
  '{% IF s %}{% ENDIF %}',
  '{% echo %}',
);

const leafArb = fc.oneof(
  { weight: 1, arbitrary: malformedArb },
  { weight: 4, arbitrary: textArb },
  { weight: 4, arbitrary: outputArb },
  { weight: 1, arbitrary: inlineCommentArb },
  { weight: 1, arbitrary: rawArb },
  { weight: 2, arbitrary: assignArb },
  { weight: 1, arbitrary: echoArb },
);

/** Returns templates nesting tags `depth` deep at most. */
function templateOf(depth: number): fc.Arbitrary<string> {
  if (depth === 0) return fc.array(leafArb, { maxLength: 3 }).map((nodes) => nodes.join(''));
  const inner = templateOf(depth - 1);
  const ifArb = fc
    .tuple(
      tag(conditionArb.map((c) => `if ${c}`)),
      inner,
      fc.array(fc.tuple(tag(conditionArb.map((c) => `elsif ${c}`)), inner), { maxLength: 2 }),
      fc.option(fc.tuple(tag('else'), inner), { nil: undefined }),
      tag('endif'),
    )
    .map(
      ([open, body, elsifs, otherwise, close]) =>
        open + body + elsifs.map(([t, b]) => t + b).join('') + (otherwise ? otherwise.join('') : '') + close,
    );
  const unlessArb = fc
    .tuple(
      tag(conditionArb.map((c) => `unless ${c}`)),
      inner,
      fc.option(fc.tuple(tag('else'), inner), { nil: undefined }),
      tag('endunless'),
    )
    .map(([open, body, otherwise, close]) => open + body + (otherwise ? otherwise.join('') : '') + close);
  const whenValues = fc.oneof(
    operandArb,
    fc.tuple(operandArb, operandArb).map(([a, b]) => `${a}, ${b}`),
    fc.tuple(operandArb, operandArb).map(([a, b]) => `${a} or ${b}`),
    fc.tuple(operandArb, operandArb, operandArb).map(([a, b, c]) => `${a}, ${b} or ${c}`),
  );
  const caseArb = fc
    .tuple(
      tag(filteredArb.map((v) => `case ${v}`)),
      fc.constantFrom('', '\n', '  \n  ', 'ignored'),
      fc.array(fc.tuple(tag(whenValues.map((v) => `when ${v}`)), inner), { minLength: 1, maxLength: 3 }),
      fc.option(fc.tuple(tag('else'), inner), { nil: undefined }),
      tag('endcase'),
    )
    .map(
      ([open, lead, whens, otherwise, close]) =>
        open + lead + whens.map(([t, b]) => t + b).join('') + (otherwise ? otherwise.join('') : '') + close,
    );
  const captureArb = fc
    .tuple(tag('capture c1'), inner, tag('endcapture'))
    .map(([open, body, close]) => open + body + close);
  const commentArb = fc
    // liquidjs does not nest comments: a comment in a comment is rare here, so the rest gets tested.
    .tuple(
      tag('comment'),
      fc.oneof(
        { weight: 4, arbitrary: templateOf(0) },
        { weight: 4, arbitrary: textArb },
        { weight: 1, arbitrary: inner },
        { weight: 1, arbitrary: fc.constant('{% raw %}{% endcomment %}{% endraw %}') },
      ),
      tag('endcomment'),
    )
    .map(([open, body, close]) => open + body + close);
  const node = fc.oneof(
    { weight: 6, arbitrary: leafArb },
    { weight: 3, arbitrary: ifArb },
    { weight: 1, arbitrary: unlessArb },
    { weight: 2, arbitrary: caseArb },
    { weight: 1, arbitrary: captureArb },
    { weight: 1, arbitrary: commentArb },
  );
  return fc.array(node, { maxLength: 4 }).map((nodes) => nodes.join(''));
}
const templateArb = templateOf(2);

describe('our Liquid engine against liquidjs', () => {
  it('renders generated templates and data exactly as liquidjs does, or fails where liquidjs fails', () => {
    fc.assert(
      fc.property(templateArb, scopeArb, fc.boolean(), globalsArb, (source, scope, isHtml, globals) => {
        expectSameAsLiquidjs(source, { escape: isHtml, scope, globals });
      }),
      // `LIQUID_RUNS=50000 npx vitest run test/content/liquid-engine.test.ts` explores further after an engine change.
      { numRuns: Number(process.env.LIQUID_RUNS ?? 3000) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Shipped templates

const catalog = loadTemplateCatalog(defaultTemplatesDir());

interface Variant {
  templateId: string;
  locale: string;
  tone: Tone;
  channels: ToneTemplates;
}

function variantsOf(): Variant[] {
  const variants: Variant[] = [];
  for (const [templateId, locales] of Object.entries(catalog.templates)) {
    for (const [locale, tones] of Object.entries(locales)) {
      for (const [tone, channels] of Object.entries(tones) as [Tone, ToneTemplates | undefined][]) {
        if (channels) variants.push({ templateId, locale, tone, channels });
      }
    }
  }
  return variants;
}

/** Returns the data as the render step would pass it, with names and subject fields replaced. */
function hostile(data: Record<string, unknown>, name: { givenName: string; familyName: string }) {
  const subjectKey = subjects.types.find((key) => key in data);
  const subject = subjectKey ? (data[subjectKey] as Record<string, unknown>) : undefined;
  return {
    ...data,
    customer: name,
    ...(subjectKey && subject
      ? { [subjectKey]: { ...subject, id: `<${String(subject.id)}> & "co"`, locationName: 'Keuring & <co>' } }
      : {}),
  };
}

const dataCases: Array<[string, (data: Record<string, unknown>) => Record<string, unknown>]> = [
  ['sample data', (data) => data],
  ['empty names', (data) => hostile(data, { givenName: '', familyName: '' })],
  ['HTML in names', (data) => hostile(data, { givenName: '<b>Jan</b> & "co"', familyName: "O'Brien <3" })],
  ['whitespace names', (data) => hostile(data, { givenName: '  ', familyName: '\n' })],
];

describe('every shipped template', () => {
  const variants = variantsOf();

  it.each(dataCases)('renders with %s exactly as liquidjs does', (_name, dataOf) => {
    let parts = 0;
    for (const { templateId, locale, tone, channels } of variants) {
      const globals = { locale: `${locale}-NL`, timezone: 'Europe/Amsterdam' };
      for (const channel of ['email', 'sms'] as const) {
        if (!channels[channel]) continue;
        const sample = sampleDataFor(catalog, { templateId, channel, locale, tone });
        // An SMS gets its opt-out line from the render (`{{ optOut }}`).
        const optOut =
          channel === 'sms' ? { optOut: optOutText('link', locale, sample.links.unsubscribe) } : {};
        const data = dataOf({ ...sample, ...optOut } as unknown as Record<string, unknown>);
        const render = (source: string, isHtml: boolean, scope: Record<string, unknown>): string => {
          const expected = expectSameAsLiquidjs(source, { escape: isHtml, scope, globals });
          parts++;
          if (!expected.ok) throw new Error(`${templateId}/${locale}/${tone}: liquidjs fails`);
          return expected.output;
        };
        const blocks: Record<string, string> = {};
        for (const [block, source] of Object.entries(channels.blocks ?? {})) {
          blocks[block] = render(source, false, data).trim();
        }
        const scope = { ...data, blocks };
        if (channel === 'email' && channels.email) {
          const subject = render(channels.email.subject, false, scope).replace(/\s+/g, ' ').trim();
          render(channels.email.html, true, { ...scope, subject });
          render(channels.email.text, false, scope);
        } else if (channels.sms) {
          render(channels.sms.text, false, scope);
          if (channels.sms.short !== undefined) render(channels.sms.short, false, scope);
        }
      }
    }
    expect(parts).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------
// What a template author notices

const text: LiquidOptions = { escape: false, filters: { ...KLANTREIS_FILTERS } };
const html: LiquidOptions = { escape: true, filters: { ...KLANTREIS_FILTERS } };
const customer = { givenName: 'Sanne', familyName: 'de Vries' };

/** Returns the error the call throws (failing the test when it does not throw). */
function errorOf(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

describe('errors a template author sees', () => {
  it('a misspelt variable fails at render, naming it', () => {
    const template = compileLiquid('Beste {{ customer.givenNmae }},', text);
    const error = errorOf(() => template({ customer }, {}));
    expect(error).toBeInstanceOf(LiquidError);
    expect(error.message).toContain('customer.givenNmae');
    expect(
      liquidjsRender('Beste {{ customer.givenNmae }},', { escape: false, scope: { customer }, globals: {} })
        .ok,
    ).toBe(false);
  });

  it('a misspelt filter fails at compile, naming it', () => {
    const error = errorOf(() => compileLiquid("{{ invoice.amount | mony: 'EUR' }}", text));
    expect(error).toBeInstanceOf(LiquidError);
    expect(error.message).toContain('mony');
  });

  it.each([
    ['for', '{% for line in invoice.lines %}{{ line }}{% endfor %}'],
    ['include', "{% include 'footer' %}"],
    ['render', "{% render 'footer' %}"],
  ])('an unsupported tag (%s) fails at compile, naming it and the tags there are', (name, source) => {
    const error = errorOf(() => compileLiquid(source, text));
    expect(error).toBeInstanceOf(LiquidError);
    expect(error.message).toMatch(new RegExp(`\\b${name}\\b`));
    for (const supported of ['if', 'unless', 'case', 'assign', 'capture', 'comment', 'raw']) {
      expect(error.message).toMatch(new RegExp(`\\b${supported}\\b`));
    }
  });
});

describe('where our engine is stricter than liquidjs, as compile.ts documents', () => {
  it.each([
    ['text after a value', '{{ customer.givenName customer.familyName }}'],
    ['text after a condition', '{% if customer.givenName customer.familyName %}x{% endif %}'],
    ['a when after else', '{% case 2 %}{% when 1 %}a{% else %}b{% when 2 %}c{% endcase %}'],
    ['a second else', '{% case 1 %}{% when 1 %}a{% else %}b{% else %}c{% endcase %}'],
    ['an elsif after else', '{% unless true %}a{% else %}b{% elsif true %}c{% endunless %}'],
  ])('refuses %s at compile, which liquidjs renders', (_name, source) => {
    expect(errorOf(() => compileLiquid(source, text))).toBeInstanceOf(LiquidError);
    expect(liquidjsRender(source, { escape: false, scope: { customer }, globals: {} }).ok).toBe(true);
  });
});

describe('whitespace control and escaping', () => {
  it.each([
    ['Beste {{- customer.givenName -}} ,', 'BesteSanne,'],
    ['a \n {%- if true -%} \n b \n {%- endif -%} \n c', 'abc'],
    ['a \n {% if true -%} \n b \n {%- endif %} \n c', 'a \n b \n c'],
    ['{%- assign v = 1 -%}\n\n  x', 'x'],
    ['x\n  {{- customer.givenName }}  \n', 'xSanne  \n'],
  ])('trims %j as liquidjs does', (source, rendered) => {
    expect(compileLiquid(source, text)({ customer }, {})).toBe(rendered);
    expect(liquidjsRender(source, { escape: false, scope: { customer }, globals: {} })).toEqual({
      ok: true,
      output: rendered,
    });
  });

  it('escapes output in the HTML part only, never the template text', () => {
    const source = '<p>{{ name }}</p>';
    const scope = { name: `<b>Tom & "Jerry"</b> O'Brien` };
    expect(compileLiquid(source, html)(scope, {})).toBe(
      '<p>&lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt; O&#39;Brien</p>',
    );
    expect(compileLiquid(source, text)(scope, {})).toBe(`<p><b>Tom & "Jerry"</b> O'Brien</p>`);
    for (const isHtml of [true, false]) {
      expect(outcomeOf(ourRender(source, { escape: isHtml, scope, globals: {} }))).toEqual(
        outcomeOf(liquidjsRender(source, { escape: isHtml, scope, globals: {} })),
      );
    }
  });
});
