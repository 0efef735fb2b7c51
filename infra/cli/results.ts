/**
 * `klantreis results --journey <id> --from <day> --to <day> [--by …] [--mde …] [--json|--csv [--arms]]
 * [--api <url>] [--token <token>] [--stage <name>]`
 *
 * The results report of a journey, read from the HTTP API (`GET /journeys/{journeyId}/results`):
 * the local runtime's (`npm start`) by default, or a stage's with `--api`. The token is the local
 * runtime's development credential (`KLANTREIS_DEV_TOKEN`, printed by `npm start`) or a stage's JWT.
 * `--stage` reads a deployed stage's aggregates itself, with the operator's AWS credentials (one Query
 * per shard, as the API does), for a stage whose API takes IAM signatures rather than a token.
 */
import '#adapters/zod-english.ts';
import { parseArgs } from 'node:util';
import { resultsQueryOf } from '#application/results-query.ts';
import { journeys, resourceName } from '#catalog/catalog.ts';
import type { ResultsReader } from '#core/ports.ts';
import { resultsReport } from '#core/results-report.ts';
import { type ResultsReport, ResultsReportSchema } from '#core/results-report-schema.ts';
import { loadStage, type StageConfig } from '../stages.ts';
import { armsCsv, formatReport, funnelCsv } from './results-format.ts';

export interface ResultsIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The local runtime's HTTP API: the port `npm start` listens on (`KLANTREIS_PORT_BASE`, 4010). */
export function localApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `http://127.0.0.1:${env.KLANTREIS_PORT_BASE ?? '4010'}`;
}

export const RESULTS_USAGE = `Usage: klantreis results --journey <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [options]

Prints a journey's results over a window of UTC days (both inclusive): the funnel per group and each
experiment's arms with conversion, 95 % interval, difference against control, verdict and cost per goal.
  --by      dimensions to group the funnel by, comma-separated (default step):
            step, segment, channel, variant, locale, experiment, arm, day
  --mde     minimum detectable effect the verdict waits for, e.g. 0.05 for five points (default 0.05)
  --json    print the report as the API answers it
  --csv     print the funnel as CSV (with --arms: the experiments' arms)
  --api     the HTTP API (default: the local runtime, ${localApiUrl()})
  --token   bearer token (default: KLANTREIS_DEV_TOKEN, the development credential npm start prints)
  --stage   read a deployed stage's results table directly with your AWS credentials instead of an API`;

type Fetch = (url: string, init: { headers: Record<string, string> }) => Promise<Response>;

/** What `--stage` reads with: the stage's table in its region, or what a test gives. */
export type StageResultsReader = (stage: StageConfig) => Promise<ResultsReader>;

/** The stage's table, by its resource name, in the stage's region (loaded only for `--stage`). */
const awsResultsReader: StageResultsReader = async (stage) => {
  const { DynamoResultsStore } = await import('#adapters/dynamo/results.ts');
  const { createDynamoDbDocumentClient } = await import('#adapters/dynamodb-client.ts');
  return new DynamoResultsStore(
    createDynamoDbDocumentClient({ region: stage.region }),
    resourceName(stage.name, 'table'),
    { resultsRetentionDays: stage.resultsRetentionDays },
  );
};

interface ParsedArgs {
  journey: string;
  query: URLSearchParams;
  output: 'table' | 'json' | 'csv-funnel' | 'csv-arms';
  api: string;
  token: string | undefined;
  stage: string | undefined;
}

class UsageError extends Error {}

function parse(argv: string[], env: NodeJS.ProcessEnv): ParsedArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      journey: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      mde: { type: 'string' },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      arms: { type: 'boolean', default: false },
      api: { type: 'string' },
      token: { type: 'string' },
      stage: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  for (const name of ['journey', 'from', 'to'] as const) {
    if (!values[name]) throw new UsageError(`--${name} is required`);
  }
  if (values.json && values.csv) throw new UsageError('--json and --csv: choose one');
  if (values.arms && !values.csv) throw new UsageError('--arms goes with --csv');
  if (values.stage && (values.api || values.token))
    throw new UsageError('--stage reads the table itself: no --api or --token');
  const query = new URLSearchParams({ from: values.from as string, to: values.to as string });
  if (values.by) query.set('by', values.by);
  if (values.mde) query.set('mde', values.mde);
  return {
    journey: values.journey as string,
    query,
    output: values.json ? 'json' : values.csv ? (values.arms ? 'csv-arms' : 'csv-funnel') : 'table',
    api: (values.api ?? localApiUrl(env)).replace(/\/+$/, ''),
    token: values.token ?? env.KLANTREIS_DEV_TOKEN,
    stage: values.stage,
  };
}

/** The API's refusal as one line per field it names. */
function refusal(status: number, body: unknown): string {
  const { error, issues } = (body ?? {}) as { error?: string; issues?: { path: string; message: string }[] };
  const lines = [`the API answered ${status}${error ? `: ${error}` : ''}`];
  for (const issue of issues ?? []) lines.push(`  ${issue.path}: ${issue.message}`);
  if (status === 401)
    lines.push('  pass --token, or set KLANTREIS_DEV_TOKEN to the credential npm start prints');
  return lines.join('\n');
}

/** Runs the command; returns the exit code (2: bad arguments, 1: the API refused or was not reached). */
export async function runResults(
  argv: string[],
  io: ResultsIo,
  options: { fetch?: Fetch; env?: NodeJS.ProcessEnv; readerFor?: StageResultsReader } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  let args: ParsedArgs | 'help';
  try {
    args = parse(argv, env);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${RESULTS_USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.out(RESULTS_USAGE);
    return 0;
  }
  const report = args.stage
    ? await reportFromStage(args, args.stage, io, options.readerFor ?? awsResultsReader)
    : await reportFromApi(args, io, options.fetch ?? ((target, init) => fetch(target, init)));
  if (typeof report === 'number') return report;
  if (args.output === 'json') io.out(JSON.stringify(report, null, 2));
  else if (args.output === 'csv-funnel') io.out(funnelCsv(report));
  else if (args.output === 'csv-arms') io.out(armsCsv(report));
  else io.out(formatReport(report));
  return 0;
}

/** The report as the API answers it; an exit code when it refuses or cannot be reached. */
async function reportFromApi(
  args: ParsedArgs,
  io: ResultsIo,
  doFetch: Fetch,
): Promise<ResultsReport | number> {
  const url = `${args.api}/journeys/${encodeURIComponent(args.journey)}/results?${args.query}`;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: {
        accept: 'application/json',
        ...(args.token ? { authorization: `Bearer ${args.token}` } : {}),
      },
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    io.err(`cannot reach the API at ${args.api} (${cause}); is npm start running, or pass --api`);
    return 1;
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    io.err(refusal(response.status, body));
    return 1;
  }
  const parsed = ResultsReportSchema.safeParse(body);
  if (!parsed.success) {
    io.err(`the API at ${args.api} answered something that is not a results report`);
    return 1;
  }
  return parsed.data;
}

/** The report built from the stage's table with the API's own rules; an exit code when refused. */
async function reportFromStage(
  args: ParsedArgs,
  stageName: string,
  io: ResultsIo,
  readerFor: StageResultsReader,
): Promise<ResultsReport | number> {
  let stage: StageConfig;
  try {
    stage = loadStage(stageName);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  if (!journeys.some((journey) => journey.id === args.journey)) {
    io.err(`unknown journey ${args.journey}; known: ${journeys.map((j) => j.id).join(', ')}`);
    return 2;
  }
  const query = resultsQueryOf(Object.fromEntries(args.query), stage.resultsRetentionDays);
  if (!query.ok) {
    io.err(['invalid arguments', ...query.issues.map((i) => `  --${i.path}: ${i.message}`)].join('\n'));
    return 2;
  }
  const { from, to, by, minimumDetectableEffect } = query.value;
  const rows = await (await readerFor(stage)).readResults(args.journey, from, to);
  return resultsReport(rows, { journeyId: args.journey, from, to, by, minimumDetectableEffect });
}
