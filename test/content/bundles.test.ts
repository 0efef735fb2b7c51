import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '#infra/constructs/node-function.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

/** Returns the input files of a handler's Lambda bundle, built the way the stack builds it. */
async function bundleInputs(handlerId: string): Promise<{ inputs: string[] }> {
  const result = await build({
    entryPoints: [join(repoRoot, 'functions/handlers', `${handlerId}.ts`)],
    ...LAMBDA_ESBUILD_OPTIONS,
    write: false,
    metafile: true,
  });
  return { inputs: Object.keys(result.metafile.inputs) };
}

/** The handlers that render templates or pages: the ones the content tooling could end up in. */
const renderingHandlers = handlers
  .filter((h) =>
    ((h as HandlerSpec).needs ?? []).some((need) => need === 'templates' || need === 'unsubscribe-key'),
  )
  .map((h) => h.id);

describe('Lambda bundles (esbuild metafile)', () => {
  it.each(renderingHandlers)('%s carries no MJML, browser or build tooling', async (handlerId) => {
    const { inputs } = await bundleInputs(handlerId);
    const tooling = inputs.filter((path) =>
      /node_modules\/(mjml[^/]*|html-minifier[^/]*|juice|playwright-core|esbuild)\//.test(path),
    );
    expect(tooling).toEqual([]);
    expect(inputs.some((path) => path.startsWith('infra/content/'))).toBe(false);
  });

  it('finds the rendering handlers in the catalog', () => {
    expect(renderingHandlers).toEqual(expect.arrayContaining(['run-journey-step', 'show-unsubscribe-page']));
  });

  it('run-journey-step fills the compiled HTML with our own Liquid engine, not liquidjs', async () => {
    const { inputs } = await bundleInputs('run-journey-step');
    expect(inputs.some((path) => path.includes('functions/core/liquid/'))).toBe(true);
    expect(inputs.some((path) => path.includes('node_modules/liquidjs/'))).toBe(false);
  });
});
