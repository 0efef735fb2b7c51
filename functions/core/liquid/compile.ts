/**
 * Klantreis's Liquid: the subset of Liquid message templates use, parsed once and rendered as
 * liquidjs renders it with Klantreis's options (strict variables and filters, lenient conditions,
 * JavaScript truthiness, own properties only, HTML escaping for the HTML part).
 *
 * Why our own and not liquidjs at send time: liquidjs is one prebuilt 80 KB file, a quarter of the
 * Lambda that renders and sends, and no smaller build of it exists; parsing into plain nodes also
 * renders an email several times faster than liquidjs's generator-driven renderer. liquidjs stays
 * the reference: test/content/liquid-engine.test.ts renders generated templates with both and
 * requires the same text or the same failure.
 *
 * Supported: outputs with filters; `if`/`elsif`/`else`, `unless`, `case`/`when` (`,` and `or`),
 * `assign`, `capture`, `echo`, `comment`, `raw`, `{% # … %}`; whitespace control; `== != < > <= >=
 * contains and or not`; `nil`, `empty`, `blank`. Not supported, and refused with a message that says
 * so when a template is compiled: loops (`for`, `tablerow`, `cycle`), includes (`include`, `render`,
 * `layout`), `increment`/`decrement`, `liquid`, named filter arguments, filters in conditions,
 * ranges, and backslash escapes in strings.
 *
 * Deliberately stricter than liquidjs, where liquidjs quietly ignores or guesses what an author
 * wrote; these are errors: a `when` or `elsif` after `else`, a second `else`; text after a value
 * (`{{ a b }}`, `{% if a b %}`); an unclosed string; an operator, `.`, `|` or `:` with no value after
 * it (`{% if a == %}`, `{% if a ==== b %}`, `{{ a. }}`, `{{ a | }}`, `{{ a | upcase: }}`); a number without a digit
 * before its point (`.5`); more than one argument to `default`. As in liquidjs, a tag ends at its
 * first `%}`, even one inside quotes.
 */
import { renderNodes } from './evaluate.ts';
import { type LiquidFilter, STANDARD_FILTERS } from './filters.ts';
import { LiquidError } from './liquid-error.ts';
import { parseLiquid } from './parse.ts';
import type { FilteredValue, Node } from './syntax.ts';

export type { LiquidFilter } from './filters.ts';
export { LiquidError } from './liquid-error.ts';

export interface LiquidOptions {
  /** HTML-escape every output (the HTML part of an email). */
  escape: boolean;
  /** Filters besides the standard ones (Klantreis's money, date, datetime). */
  filters: Readonly<Record<string, LiquidFilter>>;
}

/** Renders with the data and the globals (locale, time zone); throws a LiquidError naming what is wrong. */
export type LiquidTemplate = (scope: Record<string, unknown>, globals: Record<string, unknown>) => string;

function filtersUsed(nodes: readonly Node[], into: Set<string>): Set<string> {
  const add = (value: FilteredValue) => {
    for (const filter of value.filters) into.add(filter.name);
  };
  for (const node of nodes) {
    if (node.kind === 'output' || node.kind === 'assign') add(node.value);
    else if (node.kind === 'case') {
      add(node.subject);
      for (const when of node.whens) filtersUsed(when.body, into);
      filtersUsed(node.otherwise, into);
    } else if (node.kind === 'if') {
      for (const branch of node.branches) filtersUsed(branch.body, into);
      filtersUsed(node.otherwise, into);
    } else if (node.kind === 'capture') filtersUsed(node.body, into);
  }
  return into;
}

/** Returns the template ready to render; throws a LiquidError for a syntax error or an unknown tag or filter. */
export function compileLiquid(source: string, options: LiquidOptions): LiquidTemplate {
  const nodes = parseLiquid(source);
  const filters = { ...STANDARD_FILTERS, ...options.filters };
  for (const name of filtersUsed(nodes, new Set())) {
    if (!Object.hasOwn(filters, name)) throw new LiquidError(`undefined filter: ${name}`);
  }
  // A template of text alone (many blocks) needs no render at all.
  if (nodes.length === 0) return () => '';
  if (nodes.length === 1 && nodes[0]?.kind === 'text') {
    const text = nodes[0].text;
    return () => text;
  }
  return (scope, globals) => {
    const out: string[] = [];
    renderNodes(
      nodes,
      {
        scope,
        globals,
        assigned: Object.create(null) as Record<string, unknown>,
        filters,
        escape: options.escape,
        filterThis: { context: { globals } },
      },
      out,
    );
    return out.join('');
  };
}
