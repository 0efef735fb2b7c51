/**
 * Cold-start proxy: every Lambda bundle, built with the stack's esbuild settings (`LAMBDA_BUNDLE`),
 * its minified size, and the median time from process start to its `handler` export being ready,
 * over fresh `node` processes — beside a baseline bundle that only imports and constructs the same
 * AWS SDK clients. The SDK stays external, as on Lambda, resolved from the repository's node_modules.
 *
 * What this does not measure: the Lambda sandbox and runtime bootstrap (the same for every function),
 * and wiring on first call (the handlers build their clients on first use, see `wiredOnFirstUse`).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { handlers } from '#catalog/catalog.ts';
import { copyDataFiles } from '#infra/constructs/copy-data-files.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '#infra/constructs/node-function.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

export interface ColdStartRow {
  handler: string;
  minifiedKb: number;
  /** External AWS SDK packages the bundle imports: what its baseline constructs. */
  sdkPackages: string[];
  /** Median ms from process start to `handler` exported; undefined when not measured. */
  initMs?: number;
  baselineMs?: number;
  /** initMs / baselineMs. */
  ratio?: number;
}

/** Bundles live under the repository, so the external SDK resolves from its node_modules. */
const bundleDir = join(repoRoot, '.local', 'bench', 'bundles');

/** How a baseline constructs the client of each SDK package the handlers use. */
const CLIENT_OF: Record<string, { name: string; make: (local: string) => string }> = {
  '@aws-sdk/client-dynamodb': { name: 'DynamoDBClient', make: (c) => `new ${c}({})` },
  '@aws-sdk/lib-dynamodb': {
    name: 'DynamoDBDocumentClient',
    make: (c) => `${c}.from(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({}))`,
  },
  '@aws-sdk/client-sesv2': { name: 'SESv2Client', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-sns': { name: 'SNSClient', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-sfn': { name: 'SFNClient', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-secrets-manager': { name: 'SecretsManagerClient', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-eventbridge': { name: 'EventBridgeClient', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-pinpoint-sms-voice-v2': { name: 'PinpointSMSVoiceV2Client', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-scheduler': { name: 'SchedulerClient', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-firehose': { name: 'FirehoseClient', make: (c) => `new ${c}({})` },
  '@aws-sdk/client-sqs': { name: 'SQSClient', make: (c) => `new ${c}({})` },
};

/** Returns the source of a baseline handler module: the SDK clients, constructed, and nothing else. */
export function baselineSource(sdkPackages: readonly string[]): string {
  const lines = sdkPackages.map((pkg, i) => {
    const client = CLIENT_OF[pkg];
    // A package with no client (util-dynamodb's marshalling) costs its load, which the baseline pays too.
    if (!client) return `import * as C${i} from '${pkg}';\nexport const client${i} = C${i};`;
    return `import { ${client.name} as C${i} } from '${pkg}';\nexport const client${i} = ${client.make(`C${i}`)};`;
  });
  return `${lines.join('\n')}\nexport const handler = async () => ({ ok: true });\n`;
}

const esbuildOptions: BuildOptions = {
  ...LAMBDA_ESBUILD_OPTIONS,
  write: true,
  sourcemap: true,
  metafile: true,
};

/** Builds a handler's bundle and its baseline; returns their paths, the JS size and the SDK packages. */
async function buildPair(id: string) {
  const outfile = join(bundleDir, `${id}.mjs`);
  const result = await build({
    ...esbuildOptions,
    entryPoints: [join(repoRoot, 'functions/handlers', `${id}.ts`)],
    outfile,
  });
  const output = Object.entries(result.metafile?.outputs ?? {}).find(([path]) => path.endsWith('.mjs'));
  if (!output) throw new Error(`cold start: esbuild wrote no bundle for ${id}`);
  const sdkPackages = [
    ...new Set(
      output[1].imports
        .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path.split('/').slice(0, 2).join('/')),
    ),
  ].sort();
  const baselineEntry = join(bundleDir, `${id}.baseline-entry.mjs`);
  await writeFile(baselineEntry, baselineSource(sdkPackages));
  const baselineFile = join(bundleDir, `${id}.baseline.mjs`);
  await build({ ...esbuildOptions, entryPoints: [baselineEntry], outfile: baselineFile });
  return { outfile, baselineFile, bytes: output[1].bytes, sdkPackages };
}

/** The probe a fresh process runs: import the module, check the handler, print ms since process start. */
const PROBE = `const m = await import(process.argv[1]);
if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(2); }
process.stdout.write(String(performance.now()));`;

/** The environment a function starts with on Lambda, as far as module loading can see it. */
const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'klantreis-bench-cold-start',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  STAGE: 'bench',
  TABLE_NAME: 'klantreis-bench-table',
  POWERTOOLS_SERVICE_NAME: 'klantreis',
  POWERTOOLS_METRICS_NAMESPACE: 'Klantreis',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/** Returns ms from process start until the module's handler was ready, in one fresh `node` process. */
export function probeOnce(file: string): number {
  const run = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', PROBE, pathToFileURL(file).href],
    { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`cold start probe failed for ${file}: ${run.stderr.slice(0, 500)}`);
  return Number(run.stdout);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Returns a row per handler of the catalog (or of `only`): size always, init times when
 * `processes` > 0. Bundle and baseline processes alternate, so machine load hits both alike.
 */
export async function coldStarts(
  options: { processes?: number; only?: readonly string[] } = {},
): Promise<ColdStartRow[]> {
  const processes = options.processes ?? 11;
  await mkdir(bundleDir, { recursive: true });
  // As in the deployed asset: the data files a bundle reads at init lie beside it (not in its KB).
  copyDataFiles(bundleDir);
  const ids = handlers.map((h) => h.id).filter((id) => !options.only || options.only.includes(id));
  const rows: ColdStartRow[] = [];
  for (const id of ids) {
    const pair = await buildPair(id);
    const row: ColdStartRow = {
      handler: id,
      minifiedKb: Math.round(pair.bytes / 102.4) / 10,
      sdkPackages: pair.sdkPackages,
    };
    if (processes > 0) {
      const init: number[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < processes; i++) {
        init.push(probeOnce(pair.outfile));
        baseline.push(probeOnce(pair.baselineFile));
      }
      row.initMs = Math.round(median(init) * 10) / 10;
      row.baselineMs = Math.round(median(baseline) * 10) / 10;
      row.ratio = Math.round((row.initMs / row.baselineMs) * 100) / 100;
    }
    rows.push(row);
  }
  return rows;
}
