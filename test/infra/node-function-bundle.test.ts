/**
 * The stack bundles with `LAMBDA_BUNDLE`'s aliases (passed to CDK's esbuild as `--alias:` flags): a traced
 * handler gets the X-Ray SDK's Lambda entry, without centralized sampling or the real semver.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { describe, expect, it } from 'vitest';
import { NodeFunction } from '#infra/constructs/node-function.ts';
import { loadStage } from '#infra/stages.ts';

describe('NodeFunction bundling', () => {
  it('bundles the X-Ray SDK through its Lambda entry', () => {
    const app = new App();
    const stack = new Stack(app, 'Bundling');
    const traced = new NodeFunction(stack, 'Traced', {
      stage: loadStage('dev'),
      handlerId: 'traced-probe',
      tableName: 'klantreis-dev',
      entry: join(import.meta.dirname, 'fixtures', 'traced-handler.ts'),
    });
    app.synth();
    const asset = traced.function.node.findChild('Code') as Asset;
    const code = readFileSync(join(app.outdir, asset.assetPath, 'index.mjs'), 'utf8');
    expect(code).toContain('AWS SDK v2 tracing (captureAWS, captureAWSClient) is not bundled');
    expect(code).not.toContain('Disabling centralized sampling');
    expect(code).not.toContain('SEMVER_SPEC_VERSION');
  }, 180_000); // a CDK synth with one esbuild run, slow on a busy machine
});
