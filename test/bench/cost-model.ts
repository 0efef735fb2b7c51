/**
 * The cost model: what each path through the shipped journeys costs on AWS, from what a local run
 * actually did — state transitions (journey engine), Lambda invocations and billed milliseconds,
 * DynamoDB request units from item sizes (meter), API requests, SES and SNS calls (emulators) —
 * priced with the dated table in `prices.json`. USD per 1,000 customers, split into orchestration
 * (everything but the provider) and delivery (SES, SMS).
 *
 * `node test/bench/cost-model.ts [--customers 20] [--out dir]`; `npm run bench` includes it.
 * Lambda durations are measured against the local emulators, one run at a time (the scheduled
 * path runs its journeys concurrently, as on AWS): indicative, not what AWS will bill to the ms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CustomerProfile } from '#core/customer.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

export interface PriceEntry {
  usd: number;
  unit: string;
  source: string;
}
export interface PriceTable {
  asOf: string;
  region: string;
  prices: Record<string, PriceEntry>;
  assumptions: Record<string, { value: number; source: string }>;
}

/** Returns the repository's dated price table. */
export function loadPrices(): PriceTable {
  return JSON.parse(readFileSync(join(repoRoot, 'test/bench/prices.json'), 'utf8')) as PriceTable;
}

/** What a path used, in total over its customers. */
export interface Usage {
  path: string;
  customers: number;
  /** Standard workflow state transitions (states entered plus retries). */
  transitions: number;
  /** Express child executions (Distributed Map batches) and their states entered. */
  expressExecutions: number;
  expressTransitions: number;
  lambdaInvocations: number;
  lambdaBilledMs: number;
  readUnits: number;
  writeUnits: number;
  apiRequests: number;
  schedulerInvocations: number;
  sesCalls: number;
  sesBytes: number;
  smsCalls: number;
  emailsDelivered: number;
  smsDelivered: number;
}

export interface Priced {
  path: string;
  customers: number;
  messages: number;
  /** USD per 1,000 customers. */
  orchestration: {
    stepFunctions: number;
    lambdaRequests: number;
    lambdaDuration: number;
    dynamoDb: number;
    apiGateway: number;
    scheduler: number;
    logs: number;
    total: number;
  };
  delivery: { email: number; smsNL: number; smsUS: number };
  /** Orchestration USD per 1,000 delivered messages (every channel). */
  orchestrationPer1000Messages: number;
  /** The target's yardstick: SES's price of 1,000 emails. */
  sesPer1000Emails: number;
  /**
   * Orchestration per 1,000 messages if each message took only `DESIGN_B_TRANSITIONS` Standard
   * transitions (one Task deciding, rendering and sending, one Wait, one Choice), all else as measured.
   */
  designBPer1000Messages: number;
}

/** Standard transitions per message of the proposed design (see the README's cost section). */
export const DESIGN_B_TRANSITIONS = 3;

/** Each Express child of the batch is billed at least 64 MB for its duration: assume 2 s each. */
const EXPRESS_CHILD_GB_SECONDS = (64 / 1024) * 2;

/** Returns the usage priced per 1,000 customers. */
export function priceUsage(usage: Usage, table: PriceTable): Priced {
  const p = (name: string) => {
    const entry = table.prices[name];
    if (!entry) throw new Error(`prices.json has no ${name}`);
    return entry.usd;
  };
  const memoryGb = (table.assumptions.lambdaMemoryMb?.value ?? 512) / 1024;
  const logBytes = table.assumptions.logBytesPerInvocation?.value ?? 0;
  const per1000 = (usd: number) => (usd / Math.max(1, usage.customers)) * 1000;
  const parts = {
    stepFunctions: per1000(
      usage.transitions * p('stepFunctionsStandardPerTransition') +
        usage.expressExecutions *
          (p('stepFunctionsExpressPerRequest') +
            EXPRESS_CHILD_GB_SECONDS * p('stepFunctionsExpressPerGbSecond')),
    ),
    lambdaRequests: per1000(usage.lambdaInvocations * p('lambdaPerRequest')),
    lambdaDuration: per1000((usage.lambdaBilledMs / 1000) * memoryGb * p('lambdaArmPerGbSecond')),
    dynamoDb: per1000(
      usage.readUnits * p('dynamoDbOnDemandPerReadUnit') +
        usage.writeUnits * p('dynamoDbOnDemandPerWriteUnit'),
    ),
    apiGateway: per1000(usage.apiRequests * p('apiGatewayHttpApiPerRequest')),
    scheduler: per1000(usage.schedulerInvocations * p('eventBridgeSchedulerPerInvocation')),
    logs: per1000(((usage.lambdaInvocations * logBytes) / 1024 ** 3) * p('cloudWatchLogsPerGbIngested')),
  };
  const total = Object.values(parts).reduce((sum, v) => sum + v, 0);
  const messages = usage.emailsDelivered + usage.smsDelivered;
  return {
    path: usage.path,
    customers: usage.customers,
    messages,
    orchestration: { ...parts, total },
    delivery: {
      email: per1000(usage.sesCalls * p('sesPerEmail') + (usage.sesBytes / 1024 ** 3) * p('sesPerGbSent')),
      smsNL: per1000(usage.smsCalls * p('smsPerMessageNL')),
      smsUS: per1000(usage.smsCalls * p('smsPerMessageUS')),
    },
    orchestrationPer1000Messages: messages === 0 ? 0 : (total * usage.customers) / messages,
    sesPer1000Emails: p('sesPerEmail') * 1000,
    designBPer1000Messages:
      messages === 0
        ? 0
        : ((total - parts.stepFunctions) * usage.customers) / messages +
          DESIGN_B_TRANSITIONS * p('stepFunctionsStandardPerTransition') * 1000,
  };
}

interface Path {
  name: string;
  profile: (i: number) => CustomerProfile;
  opens: boolean;
  /** Started by the scheduled batch (invoice recorded, schedule fired) instead of the API. */
  scheduled?: boolean;
}

const base = {
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1980-06-15',
} as const;
const phone = (i: number) => `+316${String(20_000_000 + i).padStart(8, '0')}`;

/** The payment reminder's paths; every customer of a path takes it (the invoice is never paid). */
export const PATHS: readonly Path[] = [
  {
    name: 'API start; email, opened',
    profile: (i) => ({ ...base, id: `read-${i}`, email: `read-${i}@example.nl`, phone: phone(i) }),
    opens: true,
  },
  {
    name: 'API start; email unread → SMS fallback',
    profile: (i) => ({ ...base, id: `unread-${i}`, email: `unread-${i}@example.nl`, phone: phone(i) }),
    opens: false,
  },
  {
    name: 'API start; email only',
    profile: (i) => ({ ...base, id: `only-${i}`, email: `only-${i}@example.nl` }),
    opens: false,
  },
  {
    name: 'API start; SMS preferred',
    profile: (i) => ({
      ...base,
      id: `sms-${i}`,
      email: `sms-${i}@example.nl`,
      phone: phone(i),
      preferences: { channel: 'sms' },
    }),
    opens: false,
  },
  {
    name: 'scheduled batch; email, opened',
    profile: (i) => ({ ...base, id: `batch-${i}`, email: `batch-${i}@example.nl`, phone: phone(i) }),
    opens: true,
    scheduled: true,
  },
];

const SIMULATION_START = new Date('2026-12-01T07:00:00Z');

/** Runs `customers` customers down a path on a fresh local stack and returns what they used. */
export async function measurePath(path: Path, customers: number): Promise<Usage> {
  const { startLocalStack } = await import('#infra/local/runtime.ts');
  const { demoInvoice, recordInvoice, seedCustomers, startPaymentReminder } = await import(
    '#infra/local/demo.ts'
  );
  const { dueWindowOf, runDayOf } = await import('#core/schedule.ts');
  const { allStates } = await import('#infra/local/asl.ts');
  const profiles = Array.from({ length: customers }, (_, i) => path.profile(i));
  const stack = await startLocalStack({
    ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0 },
    simulationStart: SIMULATION_START,
    ...(path.opens ? { emailOpeners: profiles.flatMap((c) => (c.email ? [c.email] : [])) } : {}),
    rates: { email: 100_000, sms: 100_000 },
  });
  try {
    await seedCustomers(stack, profiles);
    // The SES emulator keeps its outbox between starts: count only this path's emails.
    const resetCounts = async () => {
      stack.meter.reset();
      await stack.ses.clear();
      stack.sms.clear();
    };
    let schedulerInvocations = 0;
    if (path.scheduled) {
      const schedule = stack.schedules.find((s) => s.journeyId === 'payment-reminder');
      if (!schedule) throw new Error('no payment-reminder schedule in the dev stage');
      const dueDate = dueWindowOf(runDayOf(SIMULATION_START, schedule.timezone), schedule.select).to;
      for (const [i, customer] of profiles.entries()) {
        const invoice = { ...demoInvoice(customer, i, SIMULATION_START), dueDate };
        const recorded = await recordInvoice(stack, customer.id, invoice);
        if (recorded.status !== 202) throw new Error(`recording an invoice failed: ${recorded.status}`);
      }
      // Recording invoices is the customer's system's business, not the reminder's cost.
      await resetCounts();
      const batch = await stack.fireSchedule(schedule.id);
      if (batch.status !== 'SUCCEEDED') throw new Error(`scheduled batch ${batch.status}: ${batch.cause}`);
      schedulerInvocations = 1;
    } else {
      await resetCounts();
      // One run at a time: each Lambda's measured duration is its own work, not its neighbours'.
      for (const [i, customer] of profiles.entries()) {
        const started = await startPaymentReminder(
          stack,
          customer.id,
          demoInvoice(customer, i, SIMULATION_START),
        );
        if (started.status !== 201) throw new Error(`start failed: ${started.status}`);
        await stack.engine.whenIdle();
      }
    }
    await stack.engine.whenIdle();
    await stack.feedback.flush();
    const executions = stack.engine.listExecutions();
    const failed = executions.filter((e) => e.status !== 'SUCCEEDED');
    if (failed.length > 0) throw new Error(`${failed.length} runs failed: ${failed[0]?.error}`);
    // States inside a Distributed Map with Express children are billed as Express executions.
    const batchArn = executions.find((e) => e.stateMachineArn.endsWith('-scheduled-batch'))?.stateMachineArn;
    const expressStates = new Set<string>();
    let expressStart: string | undefined;
    if (batchArn) {
      // Only state names matter here, so the file is read with its placeholders unfilled.
      const definition = JSON.parse(
        readFileSync(join(repoRoot, 'statemachines/scheduled-batch.asl.json'), 'utf8'),
      ) as import('#infra/local/asl.ts').AslDefinition;
      for (const state of allStates(definition).values()) {
        const processor = state.ItemProcessor as
          | {
              ProcessorConfig?: { ExecutionType?: string };
              StartAt?: string;
              States?: Record<string, unknown>;
            }
          | undefined;
        if (processor?.ProcessorConfig?.ExecutionType === 'EXPRESS') {
          expressStart = processor.StartAt;
          for (const name of Object.keys(processor.States ?? {})) expressStates.add(name);
        }
      }
    }
    let transitions = 0;
    let expressTransitions = 0;
    let expressExecutions = 0;
    for (const e of executions) {
      for (const name of [...e.statesEntered, ...e.retries]) {
        if (e.stateMachineArn === batchArn && expressStates.has(name)) {
          expressTransitions += 1;
          if (name === expressStart) expressExecutions += 1;
        } else transitions += 1;
      }
    }
    const counts = Object.values(stack.meter.snapshot());
    const sum = (key: keyof (typeof counts)[number]) => counts.reduce((total, c) => total + c[key], 0);
    const emails = await stack.ses.listEmails();
    return {
      path: path.name,
      customers,
      transitions,
      expressExecutions,
      expressTransitions,
      lambdaInvocations: sum('lambdaInvocations'),
      lambdaBilledMs: sum('lambdaBilledMs'),
      readUnits: sum('dynamoDbReadUnits'),
      writeUnits: sum('dynamoDbWriteUnits'),
      apiRequests: stack.meter.snapshot().api?.lambdaInvocations ?? 0,
      schedulerInvocations,
      sesCalls: emails.length,
      sesBytes: emails.reduce(
        (bytes, m) => bytes + Buffer.byteLength(m.html ?? '') + Buffer.byteLength(m.text ?? '') + 1024,
        0,
      ),
      smsCalls: stack.sms.messages().length,
      emailsDelivered: stack.feedback.delivered.get('Delivery') ?? 0,
      smsDelivered: stack.feedback.delivered.get('TEXT_DELIVERED') ?? 0,
    };
  } finally {
    await stack.stop();
  }
}

const usd = (v: number) => (v >= 0.01 ? v.toFixed(3) : v.toFixed(4));

/** Returns the cost model's Markdown: usage per message, and USD per 1,000 customers by path. */
export function costMarkdown(usages: readonly Usage[], table: PriceTable, command: string): string {
  const priced = usages.map((u) => priceUsage(u, table));
  const perMsg = (u: Usage, v: number) => {
    const messages = u.emailsDelivered + u.smsDelivered;
    return messages === 0 ? '—' : (v / messages).toFixed(2);
  };
  return [
    `Cost model (command: ${command}; prices ${table.region}, as of ${table.asOf}, from test/bench/prices.json — list prices to be checked)`,
    '',
    '| path | customers | messages (email + SMS) | Std transitions/msg | Express children/msg | λ invocations/msg | λ billed ms/msg (local) | RRU/msg | WRU/msg | API requests/msg |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...usages.map(
      (u) =>
        `| ${u.path} | ${u.customers} | ${u.emailsDelivered} + ${u.smsDelivered} | ${perMsg(u, u.transitions)} | ${perMsg(u, u.expressExecutions)} | ${perMsg(u, u.lambdaInvocations)} | ${perMsg(u, u.lambdaBilledMs)} | ${perMsg(u, u.readUnits)} | ${perMsg(u, u.writeUnits)} | ${perMsg(u, u.apiRequests)} |`,
    ),
    '',
    `| USD per 1,000 customers | Step Functions | λ requests | λ GB-s | DynamoDB | API GW | Scheduler | Logs | **orchestration** | delivery: email | delivery: SMS NL | delivery: SMS US | orchestration per 1,000 msgs (target ≤ SES $0.10) | same, design B (${DESIGN_B_TRANSITIONS} transitions/msg) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...priced.map(
      (p) =>
        `| ${p.path} | ${usd(p.orchestration.stepFunctions)} | ${usd(p.orchestration.lambdaRequests)} | ${usd(p.orchestration.lambdaDuration)} | ${usd(p.orchestration.dynamoDb)} | ${usd(p.orchestration.apiGateway)} | ${usd(p.orchestration.scheduler)} | ${usd(p.orchestration.logs)} | **${usd(p.orchestration.total)}** | ${usd(p.delivery.email)} | ${usd(p.delivery.smsNL)} | ${usd(p.delivery.smsUS)} | ${usd(p.orchestrationPer1000Messages)}${p.orchestrationPer1000Messages > p.sesPer1000Emails ? ' ✗' : ' ✓'} | ${usd(p.designBPer1000Messages)}${p.designBPer1000Messages > p.sesPer1000Emails ? ' ✗' : ' ✓'} |`,
    ),
  ].join('\n');
}

/** Measures every path with `customers` customers each. */
export async function costModel(customers: number): Promise<Usage[]> {
  const usages: Usage[] = [];
  // A discarded first run: module loading and JIT warm-up are not any path's cost.
  const [first] = PATHS;
  if (first) await measurePath(first, 2);
  for (const path of PATHS) usages.push(await measurePath(path, customers));
  return usages;
}

if (import.meta.main) {
  const { parseArgs } = await import('node:util');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { values } = parseArgs({
    options: { customers: { type: 'string', default: '20' }, out: { type: 'string' } },
  });
  const usages = await costModel(Number(values.customers));
  const table = loadPrices();
  const markdown = costMarkdown(
    usages,
    table,
    `node test/bench/cost-model.ts --customers ${values.customers}`,
  );
  console.log(markdown);
  const outDir = values.out ?? join(repoRoot, '.local', 'bench');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'cost.md'), `${markdown}\n`);
  await writeFile(
    join(outDir, 'cost.json'),
    `${JSON.stringify({ prices: table, usages, priced: usages.map((u) => priceUsage(u, table)) }, null, 2)}\n`,
  );
}
