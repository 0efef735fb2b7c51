/**
 * `npm run bench:scale`: Klantreis at volume on this machine, each measurement in its own child
 * process so its peak memory (max RSS) is its own.
 *  - `scheduled`: the payment-reminder schedule fires over N customers with a due invoice, end to
 *    end through the local runtime (scheduled batch ASL, Distributed Map batches, one journey run
 *    per invoice, every reminder rendered, sent to the local SES and its feedback recorded).
 *  - `plan`: planning alone — `klantreis simulate`'s path (the journey's ASL walked on a simulated
 *    clock, every message step decided by the decision core) over N generated customers.
 *
 *  - `throughput`: N customers' payment reminders started through the local HTTP API, 50 requests in
 *    flight, every fifth invoice paid as soon as its start answered: starts/s, p50/p99 start and
 *    exit-event latency, heap retained per finished run (after GC).
 *
 * `node test/bench/scale.ts [--throughput 300] [--scheduled 10000[,100000]] [--plan 100000] [--out dir]
 * [--docs]` (0 skips a part; `--docs` also writes the "throughput" and "scale" sections of docs/performance.md), or one mode in this process:
 * `--mode scheduled|plan|throughput --customers N` (prints one JSON line; throughput needs
 * `node --expose-gc`).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { CustomerProfile } from '#core/customer.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { writeGeneratedSection } from './docs-section.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

export interface ScaleResult {
  mode: 'scheduled' | 'plan';
  customers: number;
  seconds: number;
  customersPerSecond: number;
  maxRssMb: number;
  /** scheduled: emails delivered; plan: message steps planned. */
  messages: number;
  /** scheduled: heap and array buffers after GC once every run ended, minus before the schedule fired, per customer. */
  retainedKbPerCustomer?: number;
  /** Why the run failed, when it did (the figures are then zero). */
  failed?: string;
}

const SIMULATION_START = new Date('2026-12-01T07:00:00Z');
const PLACES = [
  { country: 'NL', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
  { country: 'BE', locale: 'nl-BE', timezone: 'Europe/Brussels' },
  { country: 'GB', locale: 'en-GB', timezone: 'Europe/London' },
  { country: 'US', locale: 'en-US', timezone: 'America/New_York' },
] as const;

/** Returns N deterministic customers: every one has an email, most a phone, a few prefer SMS. */
function customersOf(count: number, prefix: string): CustomerProfile[] {
  return Array.from({ length: count }, (_, i) => {
    const place = PLACES[i % PLACES.length] ?? PLACES[0];
    return {
      id: `${prefix}-${i}`,
      ...place,
      birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`,
      email: `${prefix}-${i}@example.com`,
      ...(i % 10 < 7 ? { phone: `+316${String(10_000_000 + i).slice(-8)}` } : {}),
      ...(i % 10 === 0 ? { preferences: { channel: 'sms' as const } } : {}),
    };
  });
}

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function scheduledRun(count: number): Promise<ScaleResult> {
  const { startLocalStack } = await import('#infra/local/runtime.ts');
  const { demoInvoice, seedCustomers } = await import('#infra/local/demo.ts');
  const { dueWindowOf, runDayOf } = await import('#core/schedule.ts');
  const { loadStage } = await import('#infra/stages.ts');
  const devSchedules = loadStage('dev').schedules;
  const customers = customersOf(count, 'scale').map((c) => ({ ...c, preferences: undefined }));
  const stack = await startLocalStack({
    ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0 },
    simulationStart: SIMULATION_START,
    // Everyone opens their emails: no run waits out an unread email's SMS fallback.
    emailOpeners: customers.flatMap((c) => (c.email ? [c.email] : [])),
    rates: { email: 1_000_000, sms: 1_000_000 },
    // The dev schedule as deployed (batches of 50, 5 at once); SCALE_MAP_CONCURRENCY overrides.
    schedules: devSchedules.map((s) => ({
      ...s,
      maxConcurrency: Number(process.env.SCALE_MAP_CONCURRENCY ?? s.maxConcurrency),
    })),
  });
  try {
    const schedule = stack.schedules.find((s) => s.journeyId === 'payment-reminder');
    if (!schedule) throw new Error('no payment-reminder schedule in the dev stage');
    const dueDate = dueWindowOf(runDayOf(SIMULATION_START, schedule.timezone), schedule.select).to;
    // Seeding is the customer's own systems' work: written straight to the table, not timed.
    for (let i = 0; i < customers.length; i += 500) {
      const slice = customers.slice(i, i + 500);
      await seedCustomers(stack, slice);
      await Promise.all(
        slice.map((customer, j) =>
          stack.repository.putSubject({
            customerId: customer.id,
            subjectId: `INV-${i + j}`,
            status: 'open',
            updatedAt: SIMULATION_START.toISOString(),
            invoice: { ...demoInvoice(customer, i + j, SIMULATION_START), id: `INV-${i + j}`, dueDate },
          }),
        ),
      );
    }
    await stack.ses.clear();
    const memoryBefore = memoryAfterGc();
    const started = performance.now();
    // Progress on stderr: a 10,000-customer run takes many minutes on a shared 2-core machine.
    const progress = setInterval(() => {
      const runs = stack.engine.listExecutions();
      const running = runs.filter((e) => e.status === 'RUNNING').length;
      console.error(
        `${Math.round((performance.now() - started) / 1000)} s: ${runs.length} executions, ${running} running, ${stack.feedback.delivered.get('Delivery') ?? 0} emails delivered, ${rssMb()} MB max RSS`,
      );
    }, 30_000);
    progress.unref();
    const batch = await stack.fireSchedule(schedule.id);
    if (batch.status !== 'SUCCEEDED')
      throw new Error(`scheduled batch ${batch.status}: ${batch.error}: ${batch.cause}`);
    await stack.engine.whenIdle();
    await stack.feedback.flush();
    const seconds = (performance.now() - started) / 1000;
    clearInterval(progress);
    const runs = stack.engine.listExecutions().filter((e) => !e.stateMachineArn.endsWith('-scheduled-batch'));
    const failed = runs.filter((e) => e.status !== 'SUCCEEDED');
    if (runs.length !== count || failed.length > 0) {
      throw new Error(`${runs.length} runs for ${count} customers, ${failed.length} failed`);
    }
    const retainedKbPerCustomer = Math.round((memoryAfterGc() - memoryBefore) / 1024 / count);
    return {
      mode: 'scheduled',
      customers: count,
      seconds: Math.round(seconds * 10) / 10,
      customersPerSecond: Math.round(count / seconds),
      maxRssMb: rssMb(),
      messages: stack.feedback.delivered.get('Delivery') ?? 0,
      retainedKbPerCustomer,
    };
  } finally {
    await stack.stop();
  }
}

/** What `throughput` measures: starts through the HTTP API with 50 in flight, exits, memory kept. */
export interface ThroughputResult {
  mode: 'throughput';
  customers: number;
  inFlight: number;
  seconds: number;
  startsPerSecond: number;
  startP50Ms: number;
  startP99Ms: number;
  /** `invoice.paid` events sent under the same load, and their answer's latency. */
  exitEvents: number;
  exitP50Ms: number;
  exitP99Ms: number;
  /** Heap and array buffers after GC once every run ended, minus before, per finished run. */
  retainedKbPerRun: number;
  runsFinished: number;
  maxRssMb: number;
  /** 1-minute load average at the start and the end. */
  load: [number, number];
  failed?: string;
}

const THROUGHPUT_IN_FLIGHT = 50;
/** Every n-th customer pays as soon as their run has started: the exit event under load. */
const EXIT_EVERY = 5;

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

/**
 * Returns the memory the process holds after GC: the heap, and the array buffers outside it (a Buffer
 * kept alive keeps its whole pool there, which the heap alone does not show).
 */
function memoryAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  return v8.getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;
}

interface LoadRequest {
  start: { path: string; body: string; idempotencyKey: string };
  exit?: { path: string; body: string };
}

/**
 * The integrating system's side of the load, in a worker thread of its own: it sends the requests
 * with `inFlight` in flight and times each answer. In the runtime's own thread, the client's HTTP
 * work (undici's requests and parsing) would take its share of the same event loop and count as
 * the runtime's; an integrating system runs elsewhere.
 */
async function sendFromAnotherThread(load: {
  apiUrl: string;
  token: string;
  inFlight: number;
  requests: LoadRequest[];
}): Promise<{ startLatencies: number[]; exitLatencies: number[] }> {
  const worker = new Worker(LOAD_SENDER, { eval: true, workerData: load });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load sender exited with ${code}`));
    });
  });
}

/** The worker's code (plain JavaScript: an eval'd worker is not type-stripped). */
const LOAD_SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { apiUrl, token, inFlight, requests } = workerData;
const startLatencies = [];
const exitLatencies = [];
let started = 0;
const progress = setInterval(() => {
  console.error(started + ' started, ' + exitLatencies.length + ' paid');
}, 30000);
async function post(path, body, extra) {
  const began = performance.now();
  const response = await fetch(apiUrl + path, {
    method: 'POST',
    headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json', ...extra },
    body,
  });
  await response.text();
  if (response.status >= 300) throw new Error('POST ' + path + ' answered ' + response.status);
  return performance.now() - began;
}
let next = 0;
async function sender() {
  while (next < requests.length) {
    const request = requests[next];
    next += 1;
    startLatencies.push(await post(request.start.path, request.start.body, { 'idempotency-key': request.start.idempotencyKey }));
    started += 1;
    if (request.exit) exitLatencies.push(await post(request.exit.path, request.exit.body, {}));
  }
}
Promise.all(Array.from({ length: inFlight }, sender)).then(() => {
  clearInterval(progress);
  parentPort.postMessage({ startLatencies, exitLatencies });
}, (error) => {
  clearInterval(progress);
  throw error;
});
`;

/**
 * Starts N payment reminders through the local HTTP API, 50 requests in flight, as an integrating
 * system would; every fifth customer's invoice is paid the moment their start answered. Customers
 * are seeded straight into the table first (not timed).
 */
async function throughputRun(count: number): Promise<ThroughputResult> {
  const { startLocalStack } = await import('#infra/local/runtime.ts');
  const { demoInvoice, seedCustomers } = await import('#infra/local/demo.ts');
  const customers = customersOf(count, 'load');
  const loadAtStart = loadavg()[0] ?? 0;
  const stack = await startLocalStack({
    ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0 },
    simulationStart: SIMULATION_START,
    emailOpeners: customers.flatMap((c) => (c.email ? [c.email] : [])),
    rates: { email: 1_000_000, sms: 1_000_000 },
  });
  try {
    for (let i = 0; i < customers.length; i += 500) await seedCustomers(stack, customers.slice(i, i + 500));
    const requests: LoadRequest[] = customers.map((customer, i) => {
      const invoice = { ...demoInvoice(customer, i, SIMULATION_START), id: `INV-L-${i}` };
      return {
        start: {
          path: '/journeys/payment-reminder/runs',
          body: JSON.stringify({ customerId: customer.id, subject: invoice }),
          idempotencyKey: `${customer.id}-${invoice.id}`,
        },
        // Every fifth customer pays the moment their start answered: the exit event under load.
        ...(i % EXIT_EVERY === 0
          ? {
              exit: {
                path: `/customers/${encodeURIComponent(customer.id)}/events`,
                body: JSON.stringify({ type: 'invoice.paid', subjectId: invoice.id }),
              },
            }
          : {}),
      };
    });
    const heapBefore = memoryAfterGc();
    const started = performance.now();
    const { startLatencies, exitLatencies } = await sendFromAnotherThread({
      apiUrl: stack.apiUrl,
      token: stack.apiToken,
      inFlight: THROUGHPUT_IN_FLIGHT,
      requests,
    });
    const seconds = (performance.now() - started) / 1000;
    await stack.engine.whenIdle();
    await stack.feedback.flush();
    const runsFinished = stack.engine.listExecutions().filter((e) => e.status !== 'RUNNING').length;
    const retained = memoryAfterGc() - heapBefore;
    startLatencies.sort((a, b) => a - b);
    exitLatencies.sort((a, b) => a - b);
    return {
      mode: 'throughput',
      customers: count,
      inFlight: THROUGHPUT_IN_FLIGHT,
      seconds: Math.round(seconds * 10) / 10,
      startsPerSecond: Math.round((count / seconds) * 10) / 10,
      startP50Ms: Math.round(percentile(startLatencies, 50)),
      startP99Ms: Math.round(percentile(startLatencies, 99)),
      exitEvents: exitLatencies.length,
      exitP50Ms: Math.round(percentile(exitLatencies, 50)),
      exitP99Ms: Math.round(percentile(exitLatencies, 99)),
      retainedKbPerRun: Math.round(retained / 1024 / Math.max(1, runsFinished)),
      runsFinished,
      maxRssMb: rssMb(),
      load: [Math.round(loadAtStart * 10) / 10, Math.round((loadavg()[0] ?? 0) * 10) / 10],
    };
  } finally {
    await stack.stop();
  }
}

async function planOnly(count: number): Promise<ScaleResult> {
  const { simulate } = await import('#infra/cli/simulate.ts');
  const file = join(tmpdir(), `klantreis-plan-${process.pid}.json`);
  await writeFile(file, JSON.stringify(customersOf(count, 'plan')));
  const started = performance.now();
  // The simulator's own path: read and validate the file, walk the ASL, decide every step.
  const { entries } = simulate({
    journeyId: 'payment-reminder',
    customersFile: file,
    at: SIMULATION_START,
    json: true,
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    mode: 'plan',
    customers: count,
    seconds: Math.round(seconds * 10) / 10,
    customersPerSecond: Math.round(count / seconds),
    maxRssMb: rssMb(),
    messages: entries.filter((e) => e.sendAt).length,
  };
}

/** Runs one mode in a fresh child process and returns its result. */
export function runChild(mode: 'scheduled' | 'plan', customers: number): ScaleResult {
  const child = spawnSync(
    process.execPath,
    [
      // Node's default heap: a scheduled run over 100,000 customers must fit in it.
      '--expose-gc',
      join(repoRoot, 'test/bench/scale.ts'),
      '--mode',
      mode,
      '--customers',
      String(customers),
    ],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) {
    const reason = child.stderr.split('\n').find((l) => l.startsWith('Error:')) ?? `exit ${child.status}`;
    return { mode, customers, seconds: 0, customersPerSecond: 0, maxRssMb: 0, messages: 0, failed: reason };
  }
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as ScaleResult;
}

/** Runs the HTTP API throughput measurement in a fresh child process, with the default heap and `--expose-gc`. */
export function runThroughputChild(customers: number): ThroughputResult {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      join(repoRoot, 'test/bench/scale.ts'),
      '--mode',
      'throughput',
      '--customers',
      String(customers),
    ],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    const reason = child.stderr.split('\n').find((l) => l.startsWith('Error:')) ?? `exit ${child.status}`;
    return { ...THROUGHPUT_FAILED, customers, failed: reason };
  }
  return JSON.parse(line) as ThroughputResult;
}

const THROUGHPUT_FAILED: ThroughputResult = {
  mode: 'throughput',
  customers: 0,
  inFlight: THROUGHPUT_IN_FLIGHT,
  seconds: 0,
  startsPerSecond: 0,
  startP50Ms: 0,
  startP99Ms: 0,
  exitEvents: 0,
  exitP50Ms: 0,
  exitP99Ms: 0,
  retainedKbPerRun: 0,
  runsFinished: 0,
  maxRssMb: 0,
  load: [0, 0],
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Returns the HTTP API throughput figures as Markdown: each figure with its target. */
export function throughputMarkdown(now: ThroughputResult, command: string, at: Date): string {
  const mark = (met: boolean) => (met ? ' ✓' : ' ✗');
  const row = (figure: string, target: string, is: string, met: boolean, before: string) =>
    `| ${figure} | ${target} | ${now.failed ? `failed: ${now.failed}` : `${is}${mark(met)}`} | ${before} |`;
  return [
    `Local runtime through its HTTP API (command: ${command}; ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores, load ${now.load.join(' → ')})`,
    '',
    '| figure | target | measured | first measured (800 starts, busy machine) |',
    '|---|---:|---:|---:|',
    row(
      `starts per second, ${now.inFlight} in flight (${now.customers.toLocaleString('en')} customers)`,
      '≥ 50',
      String(now.startsPerSecond),
      now.startsPerSecond >= 50,
      THROUGHPUT_BEFORE.startsPerSecond,
    ),
    row('start latency p50', '—', seconds(now.startP50Ms), true, THROUGHPUT_BEFORE.startP50),
    row('start latency p99', '≤ 1 s', seconds(now.startP99Ms), now.startP99Ms <= 1000, '—'),
    row(
      `exit event (\`invoice.paid\`) latency p50 (${now.exitEvents} events)`,
      '—',
      seconds(now.exitP50Ms),
      true,
      THROUGHPUT_BEFORE.exitP50,
    ),
    row('exit event latency p99', '≤ 1 s', seconds(now.exitP99Ms), now.exitP99Ms <= 1000, '—'),
    row(
      'heap and buffers retained per finished run (after GC)',
      '≤ 50 KB',
      `${now.retainedKbPerRun} KB`,
      now.retainedKbPerRun <= 50,
      THROUGHPUT_BEFORE.retained,
    ),
    row('peak memory (max RSS)', '—', `${now.maxRssMb} MB`, true, THROUGHPUT_BEFORE.peak),
  ].join('\n');
}

/**
 * The HTTP API as first measured (800 starts with 50 in flight, on a busy machine), before the runs gave
 * way to the API, the emulators were called in process and finished runs stopped being kept whole.
 */
const THROUGHPUT_BEFORE = {
  startsPerSecond: '2.1',
  startP50: '24 s',
  exitP50: '15 s',
  retained: '≈ 1,500 KB (1.2 GB for 800 runs)',
  peak: '1.2 GB',
};

/**
 * The scheduled run as measured before the local runtime stopped keeping what finished runs no longer
 * need (dynalite's store pinning Buffer pools and old trees, every email twice, every feedback event):
 * the figure each row is compared with.
 */
const SCHEDULED_BEFORE: Record<number, string> = {
  300: '0.4 customers/s, 800 MB max RSS, ≈ 1,190 KB per customer (292 KB heap, ≈ 900 KB pinned buffers)',
  10000: '≈ 600 KB per customer; needed an 8 GB heap',
  100000: 'not run: ≈ 60 GB at 600 KB per customer',
};

/** Returns the scale results as Markdown. */
export function scaleMarkdown(results: readonly ScaleResult[], command: string, at = new Date()): string {
  const scheduledRow = (r: ScaleResult) =>
    `| scheduled run, end to end through the local runtime (Node's default heap; target for 100,000: ≤ 30 min) | ${r.customers.toLocaleString('en')} | ${r.seconds} | ${r.customersPerSecond.toLocaleString('en')} | ${r.maxRssMb} | ${r.retainedKbPerCustomer ?? '—'} | ${r.messages.toLocaleString('en')} | ${SCHEDULED_BEFORE[r.customers] ?? '—'} |`;
  return [
    `Scale (command: ${command}; ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at the end)`,
    '',
    '| run | customers | seconds | customers/s | peak memory (max RSS, MB) | retained per customer (KB, after GC) | messages | before |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map((r) =>
      r.failed
        ? `| ${r.mode} | ${r.customers.toLocaleString('en')} | failed: ${r.failed} | | | | | ${r.mode === 'scheduled' ? (SCHEDULED_BEFORE[r.customers] ?? '') : ''} |`
        : r.mode === 'scheduled'
          ? scheduledRow(r)
          : `| planning alone (simulator path; target ≤ 60 s for 100,000) | ${r.customers.toLocaleString('en')} | ${r.seconds} | ${r.customersPerSecond.toLocaleString('en')} | ${r.maxRssMb} | — | ${r.messages.toLocaleString('en')} | — |`,
    ),
  ].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      customers: { type: 'string' },
      /** Customers per scheduled run, comma-separated (`10000,100000`: one run each). */
      scheduled: { type: 'string', default: '10000' },
      plan: { type: 'string', default: '100000' },
      throughput: { type: 'string', default: '300' },
      out: { type: 'string' },
      /** Also writes docs/performance.md from this run. */
      docs: { type: 'boolean', default: false },
    },
  });
  if (values.mode) {
    const count = Number(values.customers ?? '1000');
    const result =
      values.mode === 'plan'
        ? await planOnly(count)
        : values.mode === 'throughput'
          ? await throughputRun(count)
          : await scheduledRun(count);
    console.log(JSON.stringify(result));
  } else {
    const throughputCount = Number(values.throughput);
    const planCount = Number(values.plan);
    const scheduledCounts = values.scheduled
      .split(',')
      .map(Number)
      .filter((n) => n > 0);
    const throughput = throughputCount > 0 ? runThroughputChild(throughputCount) : undefined;
    const results = [
      ...(planCount > 0 ? [runChild('plan', planCount)] : []),
      ...scheduledCounts.map((n) => runChild('scheduled', n)),
    ];
    const command = `npm run bench:scale -- --throughput ${throughputCount} --plan ${planCount} --scheduled ${scheduledCounts.join(',') || 0}`;
    const sections = [
      ...(throughput ? [throughputMarkdown(throughput, command, new Date())] : []),
      ...(results.length > 0 ? [scaleMarkdown(results, command)] : []),
    ];
    const markdown = sections.join('\n\n');
    console.log(markdown);
    const outDir = values.out ?? join(repoRoot, '.local', 'bench');
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'scale.md'), `${markdown}\n`);
    await writeFile(join(outDir, 'scale.json'), `${JSON.stringify({ throughput, results }, null, 2)}\n`);
    // Each part writes its own section, so a run of one part leaves the other's figures in place.
    if (values.docs && throughput) await writeGeneratedSection('throughput', sections[0] ?? '');
    if (values.docs && results.length > 0)
      await writeGeneratedSection('scale', scaleMarkdown(results, command));
  }
}
