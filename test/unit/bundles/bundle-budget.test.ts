/**
 * The bundle budget: every handler of the catalog, built with the stack's esbuild
 * settings (`LAMBDA_BUNDLE`), stays within its budget (`BUDGET_KB`) minified and imports only the AWS SDK packages its
 * catalog entry gives it a use for. And the `semver` alias those settings carry keeps X-Ray tracing
 * of SDK v3 clients working in a built bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '#infra/constructs/node-function.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

// The largest bundle is run-journey-step's (about 325 KB): the X-Ray SDK under the Powertools tracer (about
// 68 KB, CommonJS, not tree-shaken), zod/mini (about 42 KB), our core (decision, slot, render, Liquid,
// results, about 71 KB), the step's repositories (it builds only those it uses: `createStepRepository`)
// and the subject registry. Measure a bundle's parts with esbuild's metafile before raising this.
const BUDGET_KB = 326;

const settings: BuildOptions = LAMBDA_ESBUILD_OPTIONS;

/** Returns the SDK packages a handler may import: what its table access and needs use. */
function allowedSdkPackages(spec: HandlerSpec): string[] {
  const needs = new Set(spec.needs ?? []);
  const allowed: string[] = [];
  if (spec.table !== 'none') allowed.push('@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb');
  if (needs.has('send-email')) allowed.push('@aws-sdk/client-sesv2');
  // SNS or End User Messaging SMS, per stage: the send step imports both clients.
  if (needs.has('send-sms')) allowed.push('@aws-sdk/client-sns', '@aws-sdk/client-pinpoint-sms-voice-v2');
  const sfnNeeds = ['start-journeys', 'read-journey-runs', 'stop-journey-runs', 'complete-journey-tasks'];
  if (sfnNeeds.some((n) => needs.has(n as never))) {
    allowed.push('@aws-sdk/client-sfn');
  }
  if (needs.has('unsubscribe-key') || needs.has('pseudonym-key'))
    allowed.push('@aws-sdk/client-secrets-manager');
  if (needs.has('schedule-erasure-pass')) allowed.push('@aws-sdk/client-scheduler');
  if (needs.has('hand-over')) allowed.push('@aws-sdk/client-eventbridge');
  // Reads the table's stream records (DynamoDB JSON) and puts them to Firehose.
  if (needs.has('results-stream')) allowed.push('@aws-sdk/client-firehose', '@aws-sdk/util-dynamodb');
  if (needs.has('peek-dead-letters')) allowed.push('@aws-sdk/client-sqs');
  return allowed;
}

/** Returns the minified size (KB), the SDK packages imported and the input files of a handler's bundle. */
async function bundleOf(id: string) {
  const result = await build({
    ...settings,
    entryPoints: [join(repoRoot, 'functions/handlers', `${id}.ts`)],
    outfile: join(repoRoot, '.local', 'budget', `${id}.mjs`),
    write: false,
    metafile: true,
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'));
  if (!output) throw new Error(`no bundle for ${id}`);
  const sdk = output[1].imports
    .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
    .map((i) => i.path.split('/').slice(0, 2).join('/'));
  return {
    kb: output[1].bytes / 1024,
    sdk: [...new Set(sdk)].sort(),
    inputs: Object.keys(result.metafile.inputs),
  };
}

const bundles = Promise.all(
  handlers.map(async (spec) => ({ spec: spec as HandlerSpec, ...(await bundleOf(spec.id)) })),
);

describe('Lambda bundle budget (stack esbuild settings)', () => {
  it(`every handler bundle is ≤ ${BUDGET_KB} KB minified`, async () => {
    const over = (await bundles)
      .filter(({ kb }) => kb > BUDGET_KB)
      .map(({ spec, kb }) => `${spec.id}: ${kb.toFixed(1)} KB`);
    expect(over).toEqual([]);
  });

  it('no handler imports an AWS SDK package its catalog entry has no use for', async () => {
    const extra = (await bundles).flatMap(({ spec, sdk }) =>
      sdk.filter((pkg) => !allowedSdkPackages(spec).includes(pkg)).map((pkg) => `${spec.id}: ${pkg}`),
    );
    expect(extra).toEqual([]);
  });

  it('no bundle carries liquidjs, zod classic, the real semver or libphonenumber-js code (only its metadata file)', async () => {
    const heavy = (await bundles).flatMap(({ spec, inputs }) =>
      inputs
        .filter((path) => /node_modules\/(liquidjs|semver|zod\/v4\/classic|libphonenumber-js)\//.test(path))
        .map((path) => `${spec.id}: ${path}`),
    );
    expect(heavy).toEqual([]);
  });
});

/** A traced DynamoDB client in a built bundle, against a local endpoint, inside an X-Ray segment. */
const TRACED_PROBE = `
import { createServer } from 'node:http';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import AWSXRay from 'aws-xray-sdk-core';
import { createDynamoDbClient } from '#adapters/dynamodb-client.ts';
import { tracer } from '#adapters/powertools.ts';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(JSON.stringify({ TableNames: ['klantreis-test-table'] }));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:' + server.address().port });
const segment = new AWSXRay.Segment('bundle-probe');
const answer = await AWSXRay.getNamespace().runPromise(async () => {
  tracer.setSegment(segment);
  return client.send(new ListTablesCommand({}));
});
server.close();
console.log(JSON.stringify({
  tracing: tracer.isTracingEnabled(),
  tables: answer.TableNames,
  subsegments: (segment.subsegments ?? []).map((s) => ({ name: s.name, operation: s.aws?.operation })),
}));
`;

describe('X-Ray tracing in a built bundle with the semver alias', () => {
  const dir = join(repoRoot, '.local', `traced-probe-${process.pid}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('traces an SDK v3 call: the client answers and the segment gets its DynamoDB subsegment', async () => {
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, 'probe.ts');
    writeFileSync(entry, TRACED_PROBE);
    const result = await build({
      ...settings,
      entryPoints: [entry],
      outfile: join(dir, 'index.mjs'),
      metafile: true,
    });
    expect(Object.keys(result.metafile.inputs).filter((p) => p.includes('node_modules/semver/'))).toEqual([]);
    const run = spawnSync(process.execPath, [join(dir, 'index.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_REGION: 'eu-west-1',
        POWERTOOLS_SERVICE_NAME: 'klantreis',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      tracing: true,
      tables: ['klantreis-test-table'],
      subsegments: [{ name: 'DynamoDB', operation: 'ListTables' }],
    });
  });
});
