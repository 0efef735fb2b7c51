/**
 * The oracle for Klantreis's own Liquid engine: liquidjs (a devDependency only), configured as
 * Klantreis rendered with it before, with the same filters. The differential tests render a template
 * with both and expect the same output, or both failing.
 */
import { Liquid } from 'liquidjs';
import { compileLiquid } from '#core/liquid/compile.ts';
import { KLANTREIS_FILTERS } from '#core/render.ts';

export interface RenderInput {
  /** HTML part: every output is HTML-escaped (liquidjs `outputEscape: 'escape'`). */
  escape: boolean;
  scope: Record<string, unknown>;
  globals: Record<string, unknown>;
}

/** A rendering, or its failure; `error` is what was thrown, for a test's message. */
export type RenderResult = { ok: true; output: string } | { ok: false; error: unknown };

const engines = new Map<boolean, Liquid>();

/** Returns the liquidjs engine for the escape flag, built once: strict, lenient `if`, our filters. */
function liquidjsEngine(escapeHtml: boolean): Liquid {
  let engine = engines.get(escapeHtml);
  if (!engine) {
    engine = new Liquid({
      strictVariables: true,
      strictFilters: true,
      lenientIf: true,
      jsTruthy: true,
      ownPropertyOnly: true,
      templates: {},
      ...(escapeHtml ? { outputEscape: 'escape' as const } : {}),
    });
    // liquidjs binds `this` to its filter object, whose `context.globals` is what our filters read.
    for (const [name, filter] of Object.entries(KLANTREIS_FILTERS)) {
      engine.registerFilter(name, filter as (...args: unknown[]) => unknown);
    }
    engines.set(escapeHtml, engine);
  }
  return engine;
}

/** Returns what liquidjs renders, or `ok: false` when it fails to parse or to render. */
export function liquidjsRender(source: string, input: RenderInput): RenderResult {
  try {
    const output = liquidjsEngine(input.escape).parseAndRenderSync(source, input.scope, {
      globals: input.globals,
    });
    return { ok: true, output: String(output) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Returns what our engine renders, or `ok: false` when it fails to compile or to render. */
export function ourRender(source: string, input: RenderInput): RenderResult {
  try {
    const template = compileLiquid(source, { escape: input.escape, filters: { ...KLANTREIS_FILTERS } });
    return { ok: true, output: template(input.scope, input.globals) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Returns the result without the thrown error: what two engines must agree on. */
export function outcomeOf(result: RenderResult): { ok: true; output: string } | { ok: false } {
  return result.ok ? result : { ok: false };
}
