/**
 * The cost model: what each path through every shipped journey costs on AWS, from what a local run
 * actually did — state transitions (journey engine), Lambda invocations and billed milliseconds,
 * DynamoDB request units from item sizes, failed sends the rate limiter refused (meter), API
 * requests, hand-over and call-task events (EventBridge PutEvents), SES and SNS calls (emulators),
 * letters posted (letter outbox) and calls queued (call list) — priced with the dated table in
 * `prices.json`, letters and calls at the policy's unit prices by the customer's country
 * (`channelCosts.letter`, `channelCosts.phone`). USD per 1,000 customers and per delivered message,
 * split into orchestration (everything but the provider) and delivery (SES, SMS, post, contact centre).
 *
 * Nothing here names a journey's states: whatever the ASL files do is what is counted. Sends run
 * at the account's default rates (`LOCAL_RATES`: SES 14/s, SMS 20/s), so a second's budget used
 * up costs what it costs on AWS: the limiter's counter write, the refused Lambda invocation and the
 * Retry's transition.
 *
 * `node test/bench/cost-model.ts [--customers 20] [--only journey-id] [--out dir]`; `npm run bench`
 * includes it. API-started runs go one at a time, so each Lambda's measured duration is its own
 * work (the scheduled path runs its journeys concurrently, as on AWS); durations measured against
 * the local emulators are indicative, not what AWS will bill to the millisecond.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { InvoiceSubjectSchema } from '#subjects/invoice.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

export interface PriceEntry {
  usd: number;
  unit: string;
  /** Where the price applies: an AWS region, or the destination country of an SMS. */
  region: string;
  /** The AWS pricing page the price was read from. */
  page: string;
  source: string;
  /** Where the value was confirmed (an AWS Price List offer file where one was found). */
  sourceUrl: string;
  /** The date the source states (an offer file's publication date), or "not stated". */
  sourceDate: string;
  /** Not confirmed for its region by a dated public source: to be checked on `page` before quoting. */
  check: boolean;
  /** With `check`: what was looked for and not found. */
  searched?: string;
}
export interface PriceTable {
  asOf: string;
  region: string;
  prices: Record<string, PriceEntry>;
  assumptions: Record<string, { value: number; source: string }>;
}

/** Returns the names of the prices not yet confirmed for their region (`check: true`). */
export function unconfirmedPrices(table: PriceTable): string[] {
  return Object.entries(table.prices)
    .filter(([, entry]) => entry.check)
    .map(([name]) => name);
}

/** Returns the repository's dated price table. */
export function loadPrices(): PriceTable {
  return JSON.parse(readFileSync(join(repoRoot, 'test/bench/prices.json'), 'utf8')) as PriceTable;
}

/** What a path used, in total over its customers. */
export interface Usage {
  journeyId: string;
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
  /** Sends the rate limiter refused (each one a Lambda invocation, a counter write and a retry). */
  rateLimitedSends: number;
  /** HTTP API requests: the run's start, and any event the customer's systems post. */
  apiRequests: number;
  /** Events put on the stage's event bus (hand-overs to a person). */
  eventBridgeEvents: number;
  schedulerInvocations: number;
  sesCalls: number;
  sesBytes: number;
  smsCalls: number;
  /** SMS parts sent (each part is billed): the sum of every sent SMS's parts. */
  smsParts: number;
  emailsDelivered: number;
  smsDelivered: number;
  /** Letters posted, and their postage and printing at the policy's price by destination country. */
  letters: number;
  lettersUsd: number;
  /** Call tasks queued for the contact centre, at the policy's price per call by the customer's country. */
  calls: number;
  callsUsd: number;
}

/** Messages that reached the customer's channel: delivered emails and SMS, letters posted, calls queued. */
export function messagesOf(usage: Usage): number {
  return usage.emailsDelivered + usage.smsDelivered + usage.letters + usage.calls;
}

export interface Priced {
  journeyId: string;
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
    eventBridge: number;
    scheduler: number;
    logs: number;
    total: number;
  };
  delivery: { email: number; smsNL: number; smsUS: number; letter: number; phone: number };
  /** Orchestration USD per 1,000 delivered messages (every channel); 0 when nothing was delivered. */
  orchestrationPer1000Messages: number;
  /** The target's yardstick: SES's price of 1,000 emails. */
  sesPer1000Emails: number;
}

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
    eventBridge: per1000(usage.eventBridgeEvents * p('eventBridgePutEventsPerEvent')),
    scheduler: per1000(usage.schedulerInvocations * p('eventBridgeSchedulerPerInvocation')),
    logs: per1000(((usage.lambdaInvocations * logBytes) / 1024 ** 3) * p('cloudWatchLogsPerGbIngested')),
  };
  const total = Object.values(parts).reduce((sum, v) => sum + v, 0);
  const messages = messagesOf(usage);
  return {
    journeyId: usage.journeyId,
    path: usage.path,
    customers: usage.customers,
    messages,
    orchestration: { ...parts, total },
    delivery: {
      email: per1000(usage.sesCalls * p('sesPerEmail') + (usage.sesBytes / 1024 ** 3) * p('sesPerGbSent')),
      // Carriers bill each part of a long SMS: priced per part, not per message.
      smsNL: per1000(usage.smsParts * p('smsPerMessageNL')),
      smsUS: per1000(usage.smsParts * p('smsPerMessageUS')),
      // The policy's unit prices (postage and printing; an agent's call), summed by each customer's country.
      letter: per1000(usage.lettersUsd),
      phone: per1000(usage.callsUsd),
    },
    orchestrationPer1000Messages: messages === 0 ? 0 : (total * usage.customers) / messages,
    sesPer1000Emails: p('sesPerEmail') * 1000,
  };
}

export interface Path {
  journeyId: string;
  name: string;
  profile: (i: number) => CustomerProfile;
  /** The run's subject, as the customer's system sends it when it starts the journey. */
  subject: (customer: CustomerProfile, i: number) => JourneySubject;
  /** The customer opens every email (the local feedback loop reports the opens). */
  opens: boolean;
  /** Started by the scheduled batch (invoice recorded, schedule fired) instead of the API. */
  scheduled?: boolean;
  /**
   * An event the customer's system posts about the subject while the run is held in the Wait state
   * `during` (after its first message, waiting for the next one), e.g. an exit event that stops it.
   */
  event?: { type: string; during: string; data?: Record<string, unknown> };
}

const base = {
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1980-06-15',
} as const;
const phone = (i: number) => `+316${String(20_000_000 + i).padStart(8, '0')}`;

/**
 * When the sample's runs start: by default 08:00 in Amsterdam on a Tuesday, before most segments' windows
 * open (the dearer case: the first step waits for its slot); `--start-at` prices another moment, e.g.
 * 10:00Z (11:00 local), inside every window.
 */
const DEFAULT_START = new Date('2026-12-01T07:00:00Z');
let simulationStart = DEFAULT_START;

const invoiceOf = (customer: CustomerProfile, i: number): JourneySubject => ({
  type: 'invoice',
  id: `INV-2026-${1001 + i}`,
  amount: `${45 + ((i * 137) % 900)}.50`,
  currency: 'EUR',
  dueDate: new Date(simulationStart.getTime() - 5 * 86_400_000).toISOString().slice(0, 10),
  payUrl: `https://pay.example.com/invoices/${customer.id}`,
});
const accountOf = (customer: CustomerProfile): JourneySubject => ({
  type: 'account',
  id: `ACC-${customer.id}`,
  activationUrl: `https://portal.example.com/activate/${customer.id}`,
});
/** A visit a week after the start, mid-morning in Amsterdam: reminder and survey both fall due. */
const appointmentOf = (customer: CustomerProfile): JourneySubject => ({
  type: 'appointment',
  id: `APT-${customer.id}`,
  startsAt: '2026-12-08T10:30:00+01:00',
  locationName: 'Keuringsstation Utrecht',
  manageUrl: `https://portal.example.com/appointments/${customer.id}`,
});
const emailCustomer = (prefix: string) => (i: number) => ({
  ...base,
  id: `${prefix}-${i}`,
  email: `${prefix}-${i}@example.nl`,
  phone: phone(i),
});
/** No email address, no phone: every journey hands the customer over to a person. */
const unreachableCustomer = (prefix: string) => (i: number) => ({ ...base, id: `${prefix}-${i}` });

/** Every shipped journey's paths; each customer of a path takes it. */
export const PATHS: readonly Path[] = [
  // Payment reminder: the invoice is never paid.
  {
    journeyId: 'payment-reminder',
    name: 'API start; email, opened',
    profile: emailCustomer('read'),
    subject: invoiceOf,
    opens: true,
  },
  {
    journeyId: 'payment-reminder',
    name: 'API start; email unread → SMS fallback',
    profile: emailCustomer('unread'),
    subject: invoiceOf,
    opens: false,
  },
  {
    journeyId: 'payment-reminder',
    name: 'API start; email only',
    profile: (i) => ({ ...base, id: `only-${i}`, email: `only-${i}@example.nl` }),
    subject: invoiceOf,
    opens: false,
  },
  {
    journeyId: 'payment-reminder',
    name: 'API start; SMS preferred',
    profile: (i) => ({ ...emailCustomer('sms')(i), preferences: { channel: 'sms' } }),
    subject: invoiceOf,
    opens: false,
  },
  {
    journeyId: 'payment-reminder',
    name: 'API start; senior with a landline and an address: letters and a call',
    profile: (i) => ({
      ...base,
      id: `post-${i}`,
      birthDate: '1950-02-28',
      phone: `+3120${String(1_000_000 + i).padStart(7, '0')}`,
      address: { line1: `Lindenlaan ${i + 1}`, postalCode: '3581 KB', city: 'Utrecht', country: 'NL' },
    }),
    subject: invoiceOf,
    opens: false,
  },
  {
    journeyId: 'payment-reminder',
    name: 'scheduled batch; email, opened',
    profile: emailCustomer('batch'),
    subject: invoiceOf,
    opens: true,
    scheduled: true,
  },
  // Onboarding: welcome, activation reminder, tip.
  {
    journeyId: 'onboarding',
    name: 'never activates',
    profile: emailCustomer('onb'),
    subject: accountOf,
    opens: true,
  },
  {
    journeyId: 'onboarding',
    name: 'activates after the welcome',
    profile: emailCustomer('onb-act'),
    subject: accountOf,
    opens: true,
    event: { type: 'portal.activated', during: 'WaitForActivationReminder' },
  },
  {
    journeyId: 'onboarding',
    name: 'unreachable → hand-over',
    profile: unreachableCustomer('onb-none'),
    subject: accountOf,
    opens: false,
  },
  // Appointment: confirmation, reminder the day before, survey after the visit.
  {
    journeyId: 'appointment',
    name: 'visits',
    profile: emailCustomer('apt'),
    subject: appointmentOf,
    opens: true,
  },
  {
    journeyId: 'appointment',
    name: 'cancels after the confirmation',
    profile: emailCustomer('apt-cxl'),
    subject: appointmentOf,
    opens: true,
    event: { type: 'appointment.cancelled', during: 'WaitForReminder' },
  },
  {
    journeyId: 'appointment',
    name: 'unreachable → hand-over',
    profile: unreachableCustomer('apt-none'),
    subject: appointmentOf,
    opens: false,
  },
];

/** Runs `customers` customers down a path on a fresh local stack and returns what they used. */
export async function measurePath(path: Path, customers: number): Promise<Usage> {
  const { startLocalStack } = await import('#infra/local/runtime.ts');
  const { batches, journeys } = await import('#catalog/catalog.ts');
  const { callApi, recordInvoice, seedCustomers } = await import('#infra/local/demo.ts');
  const { dueWindowOf, runDayOf } = await import('#core/schedule.ts');
  const { allStates } = await import('#infra/local/asl.ts');
  const { loadPolicy } = await import('#adapters/policy-file.ts');
  const { channelCost } = await import('#core/channel.ts');
  type LocalExecution = import('#infra/local/journey-engine.ts').LocalExecution;
  const { RateLimited } = await import('#application/errors.ts');
  type AslDefinition = import('#infra/local/asl.ts').AslDefinition;
  // Only state names and types matter here, so the files are read with their placeholders unfilled.
  const definitionOf = (id: string) => {
    const file = [...journeys, ...batches].find((m) => m.id === id)?.definitionFile;
    if (!file) throw new Error(`no state machine ${id} in the catalog`);
    return JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as AslDefinition;
  };

  const profiles = Array.from({ length: customers }, (_, i) => path.profile(i));
  const stack = await startLocalStack({
    ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0 },
    simulationStart: simulationStart,
    ...(path.opens ? { emailOpeners: profiles.flatMap((c) => (c.email ? [c.email] : [])) } : {}),
  });
  // Every run of an event path is held in the wait where its event lands, until the event is posted.
  const eventWait = path.event ? stack.engine.pauseAt(path.event.during) : undefined;
  try {
    await seedCustomers(stack, profiles);
    // The SES emulator keeps its outbox between starts: count only this path's emails.
    const resetCounts = async () => {
      stack.meter.reset();
      await stack.ses.clear();
      stack.sms.clear();
      stack.letterOutbox.clear();
    };
    const handOversBefore = stack.handOvers.published;
    let schedulerInvocations = 0;
    if (path.scheduled) {
      const schedule = stack.schedules.find((s) => s.journeyId === path.journeyId);
      if (!schedule) throw new Error(`no ${path.journeyId} schedule in the dev stage`);
      const dueDate = dueWindowOf(runDayOf(simulationStart, schedule.timezone), schedule.select).to;
      for (const [i, customer] of profiles.entries()) {
        const invoice = InvoiceSubjectSchema.safeParse(path.subject(customer, i));
        if (!invoice.success) throw new Error('a scheduled path needs an invoice subject');
        const recorded = await recordInvoice(stack, customer.id, { ...invoice.data, dueDate });
        if (recorded.status !== 202) throw new Error(`recording an invoice failed: ${recorded.status}`);
      }
      // Recording invoices is the customer's system's business, not the journey's cost.
      await resetCounts();
      const batch = await stack.fireSchedule(schedule.id);
      if (batch.status !== 'SUCCEEDED') throw new Error(`scheduled batch ${batch.status}: ${batch.cause}`);
      schedulerInvocations = 1;
    } else {
      await resetCounts();
      // One run at a time: each Lambda's measured duration is its own work, not its neighbours'.
      for (const [i, customer] of profiles.entries()) {
        const subject = path.subject(customer, i);
        const started = await callApi(
          stack,
          'POST',
          `/journeys/${path.journeyId}/runs`,
          { customerId: customer.id, subject },
          { 'idempotency-key': `${customer.id}-${subject.id}`.replace(/[^A-Za-z0-9_-]/g, '-') },
        );
        if (started.status !== 201) throw new Error(`start failed: ${started.status}`);
        if (path.event && eventWait) {
          const run = stack.engine
            .listExecutions()
            .find((e) => JSON.parse(e.input).customerId === customer.id) as LocalExecution;
          await eventWait.reached(run);
          const posted = await callApi(stack, 'POST', `/customers/${customer.id}/events`, {
            type: path.event.type,
            subjectId: subject.id,
            ...(path.event.data ? { data: path.event.data } : {}),
          });
          if (posted.status !== 202) throw new Error(`event failed: ${posted.status}`);
          eventWait.release(run);
        }
        await stack.engine.whenIdle();
      }
    }
    await stack.engine.whenIdle();
    await stack.feedback.flush();
    const executions = stack.engine.listExecutions();
    // A run an exit event stopped ended as designed.
    const failed = executions.filter(
      (e) => e.status !== 'SUCCEEDED' && !(path.event && e.status === 'ABORTED'),
    );
    if (failed.length > 0) throw new Error(`${failed.length} runs failed: ${failed[0]?.error}`);
    // States inside a Distributed Map with Express children are billed as Express executions.
    const batchArn = executions.find((e) => e.stateMachineArn.endsWith('-scheduled-batch'))?.stateMachineArn;
    const expressStates = new Set<string>();
    let expressStart: string | undefined;
    if (batchArn) {
      for (const state of allStates(definitionOf('scheduled-batch')).values()) {
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
    const policy = loadPolicy();
    const countryOf = new Map(profiles.map((c) => [c.id, c.country]));
    const letters = stack.letterOutbox.letters().filter((l) => countryOf.has(l.customerId));
    const calls = stack.calls.tasks().filter((t) => countryOf.has(t.customerId));
    const priceOf = (channel: 'letter' | 'phone', customerId: string) =>
      channelCost(channel, countryOf.get(customerId) ?? '', policy);
    return {
      journeyId: path.journeyId,
      path: path.name,
      customers,
      transitions,
      expressExecutions,
      expressTransitions,
      lambdaInvocations: sum('lambdaInvocations'),
      lambdaBilledMs: sum('lambdaBilledMs'),
      readUnits: sum('dynamoDbReadUnits'),
      writeUnits: sum('dynamoDbWriteUnits'),
      rateLimitedSends: stack.meter.failures()[new RateLimited('email').name] ?? 0,
      apiRequests: stack.meter.snapshot().api?.lambdaInvocations ?? 0,
      // Hand-overs and call tasks: each is one event on the stage's bus.
      eventBridgeEvents: stack.handOvers.published - handOversBefore + calls.length,
      schedulerInvocations,
      sesCalls: emails.length,
      sesBytes: emails.reduce(
        (bytes, m) => bytes + Buffer.byteLength(m.html ?? '') + Buffer.byteLength(m.text ?? '') + 1024,
        0,
      ),
      smsCalls: stack.sms.messages().length,
      smsParts: stack.sms.messages().reduce((parts, m) => parts + smsEncodingOf(m.message).segments, 0),
      emailsDelivered: stack.feedback.delivered.get('Delivery') ?? 0,
      smsDelivered: stack.feedback.delivered.get('TEXT_DELIVERED') ?? 0,
      letters: letters.length,
      lettersUsd: letters.reduce((sum, l) => sum + priceOf('letter', l.customerId), 0),
      calls: calls.length,
      callsUsd: calls.reduce((sum, t) => sum + priceOf('phone', t.customerId), 0),
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
    const messages = messagesOf(u);
    return messages === 0 ? '—' : (v / messages).toFixed(2);
  };
  const perCustomer = (u: Usage, v: number) => (v / Math.max(1, u.customers)).toFixed(2);
  const target = (p: Priced) =>
    p.messages === 0
      ? '— (no message)'
      : `${usd(p.orchestrationPer1000Messages)}${p.orchestrationPer1000Messages > p.sesPer1000Emails ? ' ✗' : ' ✓'}`;
  const unconfirmed = unconfirmedPrices(table);
  const checked = `${Object.keys(table.prices).length - unconfirmed.length} of ${Object.keys(table.prices).length} list prices confirmed by a dated public source${unconfirmed.length ? `; not confirmed for the region, to be checked: ${unconfirmed.join(', ')}` : ''}`;
  return [
    `Cost model (command: ${command}; sends at the account's default rates; prices ${table.region}, checked ${table.asOf}, from test/bench/prices.json — ${checked})`,
    '',
    '| journey | path | customers | messages (email + SMS + letter + call) | SMS parts | hand-overs and call tasks | Std transitions/msg | Express children/msg | λ invocations/msg | λ billed ms/msg (local) | RRU/msg | WRU/msg | API requests/msg | rate-limited sends/msg | Std transitions/customer |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...usages.map(
      (u) =>
        `| ${u.journeyId} | ${u.path} | ${u.customers} | ${u.emailsDelivered} + ${u.smsDelivered} + ${u.letters} + ${u.calls} | ${u.smsParts} | ${u.eventBridgeEvents} | ${perMsg(u, u.transitions)} | ${perMsg(u, u.expressExecutions)} | ${perMsg(u, u.lambdaInvocations)} | ${perMsg(u, u.lambdaBilledMs)} | ${perMsg(u, u.readUnits)} | ${perMsg(u, u.writeUnits)} | ${perMsg(u, u.apiRequests)} | ${perMsg(u, u.rateLimitedSends)} | ${perCustomer(u, u.transitions)} |`,
    ),
    '',
    '| journey | path, USD per 1,000 customers | Step Functions | λ requests | λ GB-s | DynamoDB | API GW | EventBridge | Scheduler | Logs | **orchestration** | delivery: email | delivery: SMS NL, per part | delivery: SMS US, per part | delivery: letters (policy) | delivery: calls (policy) | orchestration per 1,000 msgs (target ≤ SES $0.10) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...priced.map(
      (p) =>
        `| ${p.journeyId} | ${p.path} | ${usd(p.orchestration.stepFunctions)} | ${usd(p.orchestration.lambdaRequests)} | ${usd(p.orchestration.lambdaDuration)} | ${usd(p.orchestration.dynamoDb)} | ${usd(p.orchestration.apiGateway)} | ${usd(p.orchestration.eventBridge)} | ${usd(p.orchestration.scheduler)} | ${usd(p.orchestration.logs)} | **${usd(p.orchestration.total)}** | ${usd(p.delivery.email)} | ${usd(p.delivery.smsNL)} | ${usd(p.delivery.smsUS)} | ${usd(p.delivery.letter)} | ${usd(p.delivery.phone)} | ${target(p)} |`,
    ),
  ].join('\n');
}

/** Measures every path (of one journey, if given) with `customers` customers each. */
export async function costModel(
  customers: number,
  journeyId?: string,
  startAt = DEFAULT_START,
): Promise<Usage[]> {
  simulationStart = startAt;
  const paths = PATHS.filter((p) => !journeyId || p.journeyId === journeyId);
  if (paths.length === 0) throw new Error(`no paths for journey ${journeyId}`);
  const usages: Usage[] = [];
  // A discarded first run: module loading and JIT warm-up are not any path's cost.
  const [first] = paths;
  if (first) await measurePath(first, 2);
  for (const path of paths) usages.push(await measurePath(path, customers));
  return usages;
}

if (import.meta.main) {
  const { parseArgs } = await import('node:util');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { loadavg } = await import('node:os');
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '20' },
      only: { type: 'string' },
      out: { type: 'string' },
      'start-at': { type: 'string' },
      /** Also writes the "cost" section of docs/performance.md from this run. */
      docs: { type: 'boolean', default: false },
    },
  });
  const startAt = values['start-at'] ? new Date(values['start-at']) : DEFAULT_START;
  if (Number.isNaN(startAt.getTime()))
    throw new Error(`--start-at: not an ISO instant: ${values['start-at']}`);
  const usages = await costModel(Number(values.customers), values.only, startAt);
  const table = loadPrices();
  const markdown = costMarkdown(
    usages,
    table,
    `npm run bench:cost -- --customers ${values.customers}${values.only ? ` --only ${values.only}` : ''}${values['start-at'] ? ` --start-at ${values['start-at']}` : ''} (runs start ${startAt.toISOString()}); measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log(markdown);
  const outDir = values.out ?? join(repoRoot, '.local', 'bench');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'cost.md'), `${markdown}\n`);
  await writeFile(
    join(outDir, 'cost.json'),
    `${JSON.stringify({ prices: table, usages, priced: usages.map((u) => priceUsage(u, table)) }, null, 2)}\n`,
  );
  if (values.docs) {
    const { writeGeneratedSection } = await import('./docs-section.ts');
    await writeGeneratedSection('cost', markdown);
  }
}
