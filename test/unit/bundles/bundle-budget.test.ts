/**
 * The bundle budget: every handler of the catalog, built with the stack's esbuild
 * settings (`LAMBDA_BUNDLE`), stays within its budget (`BUDGET_KB`) minified and imports only the AWS SDK packages its
 * catalog entry gives it a use for. And the X-Ray SDK's Lambda entry those settings alias keeps X-Ray
 * tracing of SDK v3 clients working in a built bundle, as the SDK's own entry does.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '#infra/constructs/node-function.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

// The largest bundle is run-journey-step's (about 303 KB): the X-Ray SDK under the Powertools tracer (about
// 44 KB through its Lambda entry, CommonJS, not tree-shaken), zod/mini (about 42 KB), our core (decision, slot, render, Liquid,
// results, about 71 KB), the step's repositories (it builds only those it uses: `createStepRepository`)
// and the subject registry; the phone channel's call planning, call task and hour counter add about 4.5 KB
// (metafile: call-planning 1.1, call-capacity 0.6, eventbridge-call-task 0.5, call-slot 0.4, call-task 0.3, the
// policy's contact centre and call prices); the letter channel about 4 KB (metafile: the letters queue 1.0, transit
// 1.0, the letter record 0.7, the postal address checks 0.6, the letter's render, decision and send branches);
// waiting for a call's outcome and going on from it about 1.6 KB (metafile: after-call 0.9, call-outcome 0.3, the
// call reservation per send key 0.4 in call-capacity, the `call` deferral line, the stage's contact centre);
// a payment reminder started under an arrangement holding itself about 2 KB (metafile: arrangement 0.9, the
// step's arrangement hold 0.5, the holds' put 0.1, the letter's local date 0.2).
// Measure a bundle's parts with esbuild's metafile before raising this.
const BUDGET_KB = 339;
// post-letters lays letters out with pdf-lib (its bundle about 665 KB, pdf-lib and its fonts' metrics the most
// of it): the one function that does, invoked once a working day, so its cold start is paid once a day, never
// per message. Keeping pdf-lib there is what keeps it out of run-journey-step.
// get-template-gallery lays the gallery's sample letters out with pdf-lib too (about 717 KB, 212 KB without):
// a console page's read, answered from memory after the first call, and pdf-lib is loaded on that first call
// (a dynamic import), so the function's start stays about what it was (test/bench/cold-start.ts).
const BUDGET_KB_BY_HANDLER: Readonly<Record<string, number>> = {
  'post-letters': 700,
  'get-template-gallery': 750,
};
const budgetOf = (id: string) => BUDGET_KB_BY_HANDLER[id] ?? BUDGET_KB;

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
  // post-letters signs its S3 PUTs itself (`s3-letter-post.ts`): no SDK package beyond the table's.
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
  it(`every handler bundle is ≤ ${BUDGET_KB} KB minified (post-letters and the template gallery: their own)`, async () => {
    const over = (await bundles)
      .filter(({ spec, kb }) => kb > budgetOf(spec.id))
      .map(({ spec, kb }) => `${spec.id}: ${kb.toFixed(1)} KB`);
    expect(over).toEqual([]);
  }, 300_000); // it waits for every handler's build: minutes on a busy machine

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

  it('only the posting function and the template gallery carry pdf-lib: the journey step records letters without it', async () => {
    const withPdfLib = (await bundles)
      .filter(({ inputs }) => inputs.some((path) => path.includes('node_modules/pdf-lib/')))
      .map(({ spec }) => spec.id);
    expect(withPdfLib.sort()).toEqual(['get-template-gallery', 'post-letters']);
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

describe('X-Ray tracing in a built bundle, outside Lambda', () => {
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

/**
 * A handler-style invocation in a built bundle with Lambda's environment (`LAMBDA_TASK_ROOT`, the trace
 * header): a traced DynamoDB call under the handler's subsegment, with the subsegments the X-Ray SDK
 * sends to the daemon (here a UDP socket of the probe's own) printed without their random ids and times.
 */
const LAMBDA_PROBE = `
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import AWSXRay from 'aws-xray-sdk-core';
import { createDynamoDbClient } from '#adapters/dynamodb-client.ts';
import { tracer } from '#adapters/powertools.ts';
const daemon = createSocket('udp4');
const sent = [];
const handlerSent = new Promise((resolve) =>
  daemon.on('message', (message) => {
    const document = JSON.parse(message.toString('utf8').split('\\n')[1]);
    sent.push(document);
    if (document.name === '## handler') resolve();
  }),
);
await new Promise((resolve) => daemon.bind(0, '127.0.0.1', resolve));
AWSXRay.setDaemonAddress('127.0.0.1:' + daemon.address().port);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end('{}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:' + server.address().port });
const facade = tracer.getSegment();
const handler = facade.addNewSubsegment('## handler');
tracer.setSegment(handler);
await client.send(new GetItemCommand({ TableName: 'klantreis-test-table', Key: { pk: { S: 'customer' } } }));
handler.close();
tracer.setSegment(facade);
await handlerSent;
daemon.close();
server.close();
console.log(JSON.stringify({
  facade: facade.facade === true,
  sent: sent.map((s) => ({
    name: s.name,
    trace_id: s.trace_id,
    underHandler: s.parent_id === handler.id,
    namespace: s.namespace,
    aws: s.aws && { operation: s.aws.operation, table_name: s.aws.table_name, region: s.aws.region },
    http: s.http,
  })),
}));
`;

const TRACE_ROOT = '1-6755e1f0-0123456789abcdef01234567';

describe('X-Ray in a built bundle: the Lambda entry of the SDK (LAMBDA_BUNDLE alias)', () => {
  const dir = join(repoRoot, '.local', `lambda-probe-${process.pid}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Builds the probe (with the given esbuild aliases) and runs it as Lambda would, returning what it printed. */
  async function runInLambda(name: string, alias: Record<string, string>) {
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, `${name}.ts`);
    writeFileSync(entry, LAMBDA_PROBE);
    const result = await build({
      ...settings,
      alias,
      entryPoints: [entry],
      outfile: join(dir, `${name}.mjs`),
      metafile: true,
    });
    const run = spawnSync(process.execPath, [join(dir, `${name}.mjs`)], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'probe',
        AWS_SECRET_ACCESS_KEY: 'probe',
        LAMBDA_TASK_ROOT: dir,
        _X_AMZN_TRACE_ID: `Root=${TRACE_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
        POWERTOOLS_SERVICE_NAME: 'klantreis',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    });
    expect(run.stderr).toBe('');
    return { printed: JSON.parse(run.stdout), inputs: Object.keys(result.metafile.inputs) };
  }

  it('sends the same subsegments as the SDK’s own entry, and leaves out centralized sampling', async () => {
    const { 'aws-xray-sdk-core': _lambdaEntry, ...withoutLambdaEntry } = settings.alias ?? {};
    const bundled = await runInLambda('lambda-entry', { ...settings.alias });
    const original = await runInLambda('sdk-entry', withoutLambdaEntry);

    expect(bundled.printed).toEqual(original.printed);
    expect(bundled.printed.facade).toBe(true);
    expect(bundled.printed.sent).toContainEqual({
      name: 'DynamoDB',
      trace_id: TRACE_ROOT,
      underHandler: true,
      namespace: 'aws',
      aws: { operation: 'GetItem', table_name: 'klantreis-test-table', region: 'eu-west-1' },
      http: { response: { status: 200, content_length: 2 } },
    });
    expect(bundled.printed.sent.map((s: { name: string }) => s.name)).toContain('## handler');
    const sampling = (inputs: string[]) =>
      inputs.filter((p) => p.includes('aws-xray-sdk-core/dist/lib/middleware/'));
    expect(sampling(original.inputs).length).toBeGreaterThan(0);
    expect(sampling(bundled.inputs)).toEqual([]);
  });
});
