import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
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

describe('Lambda bundles (esbuild metafile)', () => {
  it.each(['run-journey-step', 'show-unsubscribe-page', 'unsubscribe'])(
    '%s carries no MJML, browser or build tooling',
    async (handlerId) => {
      const { inputs } = await bundleInputs(handlerId);
      const tooling = inputs.filter((path) =>
        /node_modules\/(mjml[^/]*|html-minifier[^/]*|juice|playwright-core|esbuild)\//.test(path),
      );
      expect(tooling).toEqual([]);
      expect(inputs.some((path) => path.startsWith('infra/content/'))).toBe(false);
    },
  );

  it('run-journey-step fills the compiled HTML with our own Liquid engine, not liquidjs', async () => {
    const { inputs } = await bundleInputs('run-journey-step');
    expect(inputs.some((path) => path.includes('functions/core/liquid/'))).toBe(true);
    expect(inputs.some((path) => path.includes('node_modules/liquidjs/'))).toBe(false);
  });
});
