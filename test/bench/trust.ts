/**
 * `npm run bench:trust`: can a customer trust what Klantreis does under trouble? N customers (default
 * 1,000) go through the HTTP API of the local runtime, 50 requests in flight, with every tenth request
 * malformed; the local providers inject every fault kind on a share of sends (`--faults` of
 * `npm start`, seeded); some customers pay the moment their run starts (the exit event races the first
 * message) and some are erased while their run is going. Simulated time then runs every journey to its
 * end. Counted afterwards, from the outboxes, the conversations, the executions and the table:
 *
 * - duplicates: the same message (same customer, channel and content) accepted more than once;
 * - lost: a reachable customer (not erased) with no message in any outbox and nothing in the
 *   conversation or hand-overs saying why (no skip, failure, unknown outcome, goal reached or hand-over);
 * - stuck: journey runs still running when every other run has ended (or at the real-time horizon);
 * - 5xx: server errors the API answered, malformed requests included;
 * - items left: table items in the partitions of customers whose erasure the API confirmed, once
 *   simulated time has reached their erasures' second passes;
 * - runs per second (started to ended, wall clock) and peak memory (max RSS).
 *
 * `node test/bench/trust.ts [--customers 1000] [--seed 1] [--horizon-seconds 900] [--out dir] [--json]
 * [--strict]`: prints a table (or the JSON with `--json`) and writes `trust.{json,md}` under
 * `.local/bench/`; `--strict` exits 1 when a target is missed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { SECOND_PASS_DELAY_MS } from '#application/erasure.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import type { InvoiceSubject } from '#subjects/invoice.ts';
import { writeGeneratedSection } from './docs-section.ts';
import { seededRandom } from './random.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const { startLocalStack } = await import('#infra/local/runtime.ts');
const { FAULT_KINDS } = await import('#infra/local/emulators/provider-faults.ts');
type LocalStack = import('#infra/local/runtime.ts').LocalStack;
type FaultKind = import('#infra/local/emulators/provider-faults.ts').FaultKind;

const SIMULATION_START = new Date('2026-12-01T07:00:00Z');
const IN_FLIGHT = 50;
/** Share of requests that are malformed, interleaved with the valid ones. */
const MALFORMED_SHARE = 0.1;
/** Shares of customers whose payment races their first message, and who are erased mid-run. */
const EXIT_RACE_SHARE = 0.1;
const ERASE_RACE_SHARE = 0.05;
/** Share of each channel's sends each fault kind takes (drawn per recipient and call, seeded). */
const FAULT_SHARES: Record<FaultKind, number> = {
  refuse: 0.03,
  throttle: 0.05,
  unavailable: 0.03,
  'timeout-after-accept': 0.02,
  'timeout-before-accept': 0.02,
};
/** Real milliseconds a timed-out send holds its connection: short, the run waits on it. */
const TIMEOUT_HOLD_MS = 200;

const PLACES = [
  { country: 'NL', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
  { country: 'BE', locale: 'nl-BE', timezone: 'Europe/Brussels' },
  { country: 'GB', locale: 'en-GB', timezone: 'Europe/London' },
  { country: 'DE', locale: 'de-DE', timezone: 'Europe/Berlin' },
] as const;

type Scenario = 'plain' | 'exit-race' | 'erase-race';

interface BenchCustomer {
  profile: CustomerProfile;
  invoice: InvoiceSubject;
  scenario: Scenario;
}

export interface TrustResult {
  customers: number;
  seed: number;
  faults: string;
  seconds: number;
  runs: number;
  runsPerSecond: number;
  peakRssMb: number;
  requests: { valid: number; malformed: number; malformedAccepted: number };
  duplicates: number;
  lost: number;
  stuck: number;
  serverErrors: number;
  itemsLeftAfterErasure: number;
  /** Not targets, but what a reader needs to route a finding. */
  detail: {
    scenarios: Record<Scenario, number>;
    faultsInjected: Record<string, number>;
    executions: Record<string, number>;
    erased: number;
    eraseRefused: number;
    /** Items steps in flight wrote into erased partitions after the erasure answered. */
    lateWritesBeforeSecondPass: number;
    /** The erasures' second passes that ran (and of those, failed). */
    secondPasses: { ran: number; failed: number };
    startsRefused: number;
    unreachedWithReason: Record<string, number>;
    runRecordsRunningAfterEnd: number;
    feedbackFailures: Record<string, number>;
    tableAccessDenied: number;
    duplicateCustomers: Finding[];
    lostCustomers: Finding[];
    stuckRuns: Finding[];
    serverErrorRequests: Array<{ request: string; status: number; error?: string }>;
    /** Requests whose connection failed before any answer (retried; 599 after three). */
    connectionErrors: Array<{ request: string; error: string }>;
    itemsLeft: Finding[];
    unknownOutcomeUnreached: Finding[];
  };
  targetsMet: boolean;
  load: number[];
  cpus: number;
  at: string;
}

/** A customer a figure counts, with what the bench did to them: enough to route it. */
interface Finding {
  customerId: string;
  scenario: Scenario;
  faults: string[];
  note: string;
}

function customersOf(count: number, seed: number): BenchCustomer[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const place = PLACES[i % PLACES.length] ?? PLACES[0];
    const id = `trust-${String(i).padStart(5, '0')}`;
    const profile: CustomerProfile = {
      id,
      ...place,
      birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`,
      email: `${id}@example.com`,
      phone: `+316${String(20_000_000 + i).slice(-8)}`,
      ...(i % 5 === 0 ? { preferences: { channel: 'sms' as const } } : {}),
    };
    const draw = next();
    const scenario: Scenario =
      draw < EXIT_RACE_SHARE
        ? 'exit-race'
        : draw < EXIT_RACE_SHARE + ERASE_RACE_SHARE
          ? 'erase-race'
          : 'plain';
    const invoiceId = `INV-T-${String(i).padStart(5, '0')}`;
    const invoice: InvoiceSubject = {
      type: 'invoice',
      id: invoiceId,
      amount: `${45 + ((i * 137) % 900)}.00`,
      currency: place.country === 'GB' ? 'GBP' : 'EUR',
      dueDate: new Date(SIMULATION_START.getTime() - 5 * 86_400_000).toISOString().slice(0, 10),
      payUrl: `https://pay.example.com/invoices/${invoiceId}`,
    };
    return { profile, invoice, scenario };
  });
}

/** One request through the HTTP API: what it was (for the report), method, path, body, headers. */
interface ApiRequest {
  label: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

const json = { 'content-type': 'application/json' };

/** Malformed requests an integrating system gets wrong, in turn: each must get a 4xx, never a 5xx. */
function malformedRequest(n: number, customerId: string): ApiRequest {
  const runs = '/journeys/payment-reminder/runs';
  const events = `/customers/${customerId}/events`;
  const cases: ApiRequest[] = [
    { label: 'start: body is not JSON', method: 'POST', path: runs, body: '{"customerId":', headers: json },
    {
      label: 'start: text/plain body',
      method: 'POST',
      path: runs,
      body: 'customerId=x',
      headers: { 'content-type': 'text/plain' },
    },
    { label: 'start: no customerId', method: 'POST', path: runs, body: '{"subject":{}}', headers: json },
    {
      label: 'start: unknown journey',
      method: 'POST',
      path: '/journeys/no-such-journey/runs',
      body: JSON.stringify({ customerId }),
      headers: json,
    },
    {
      label: 'start: subject of the wrong type',
      method: 'POST',
      path: runs,
      body: JSON.stringify({ customerId, subject: { type: 'invoice', id: 7 } }),
      headers: json,
    },
    { label: 'start: JSON array body', method: 'POST', path: runs, body: '[]', headers: json },
    { label: 'start: JSON null body', method: 'POST', path: runs, body: 'null', headers: json },
    {
      label: 'put customer: bad email and locale',
      method: 'PUT',
      path: `/customers/${customerId}`,
      body: JSON.stringify({ email: 'not-an-address', locale: 42 }),
      headers: json,
    },
    {
      label: 'put customer: id with a slash',
      method: 'PUT',
      path: '/customers/a%2Fb',
      body: JSON.stringify({ email: 'x@example.com' }),
      headers: json,
    },
    {
      label: 'event: unknown type',
      method: 'POST',
      path: events,
      body: JSON.stringify({ type: 'invoice.teleported' }),
      headers: json,
    },
    { label: 'event: no body', method: 'POST', path: events, headers: json },
    {
      label: 'event: occurredAt not a date',
      method: 'POST',
      path: events,
      body: JSON.stringify({ type: 'invoice.paid', subjectId: 'x', occurredAt: 'yesterday' }),
      headers: json,
    },
    { label: 'run: unknown id', method: 'GET', path: '/runs/no-such-run' },
    {
      label: 'conversation: bad cursor',
      method: 'GET',
      path: `/customers/${customerId}/conversation?cursor=%%%&limit=-1`,
    },
    {
      label: 'consents: not a list',
      method: 'PUT',
      path: `/customers/${customerId}/consents`,
      body: '{"consents":"all"}',
      headers: json,
    },
    {
      label: 'start: 200 KB body',
      method: 'POST',
      path: runs,
      body: JSON.stringify({ customerId, pad: 'x'.repeat(200_000) }),
      headers: json,
    },
  ];
  return cases[n % cases.length] as ApiRequest;
}

/** Runs `tasks` with at most `limit` going at once. */
async function inPool(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next] as () => Promise<void>;
      next += 1;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export async function trustRun(options: {
  customers: number;
  seed: number;
  horizonSeconds: number;
}): Promise<TrustResult> {
  const customers = customersOf(options.customers, options.seed);
  const faultSpec = [
    `seed=${options.seed}`,
    ...(['email', 'sms'] as const).flatMap((channel) =>
      FAULT_KINDS.map(
        (kind) =>
          `${channel}:${kind}:share=${FAULT_SHARES[kind]}${kind.startsWith('timeout') ? `:hold=${TIMEOUT_HOLD_MS}` : ''}`,
      ),
    ),
  ].join(',');
  const stack: LocalStack = await startLocalStack({
    ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0 },
    simulationStart: SIMULATION_START,
    faults: faultSpec,
  });
  try {
    return await measure(stack, customers, faultSpec, options);
  } finally {
    // A stuck run would hold `stop` forever: stop what still runs first.
    for (const execution of stack.engine.listExecutions())
      if (execution.status === 'RUNNING')
        stack.engine.stopExecution(execution.executionArn, { error: 'BenchHorizon' });
    await stack.stop();
  }
}

async function measure(
  stack: LocalStack,
  customers: BenchCustomer[],
  faultSpec: string,
  options: { customers: number; seed: number; horizonSeconds: number },
): Promise<TrustResult> {
  const serverErrors: TrustResult['detail']['serverErrorRequests'] = [];
  const connectionErrors: TrustResult['detail']['connectionErrors'] = [];
  const counts = { valid: 0, malformed: 0, malformedAccepted: 0 };
  const call = async (request: ApiRequest, malformed: boolean) => {
    if (malformed) counts.malformed += 1;
    else counts.valid += 1;
    let status = 0;
    let text = '';
    // A connection dropped before any answer (e.g. a keep-alive socket the server closed as it was
    // reused) is retried, as an integrating system would; counted apart from the server's answers.
    for (let attempt = 1; status === 0; attempt += 1) {
      try {
        const response = await fetch(`${stack.apiUrl}${request.path}`, {
          method: request.method,
          headers: { authorization: `Bearer ${stack.apiToken}`, ...request.headers },
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
        connectionErrors.push({
          request: request.label,
          error: cause?.code ?? cause?.message ?? (error as Error).message,
        });
        if (attempt === 3) {
          status = 599;
          text = (error as Error).message;
        }
      }
    }
    if (status >= 500) {
      let error: string | undefined;
      try {
        error = String((JSON.parse(text) as { error?: unknown; message?: unknown }).error ?? '') || undefined;
      } catch {
        error = text.slice(0, 80) || undefined;
      }
      serverErrors.push({ request: request.label, status, ...(error ? { error } : {}) });
    }
    if (malformed && status < 400) counts.malformedAccepted += 1;
    return { status, text };
  };

  const erased = new Set<string>();
  const eraseRefused: string[] = [];
  const startsRefused: Finding[] = [];
  const journeyOf = (c: BenchCustomer) => async () => {
    const id = encodeURIComponent(c.profile.id);
    const { id: _id, ...profile } = c.profile;
    await call(
      {
        label: 'put customer',
        method: 'PUT',
        path: `/customers/${id}`,
        body: JSON.stringify(profile),
        headers: json,
      },
      false,
    );
    const start = call(
      {
        label: 'start payment reminder',
        method: 'POST',
        path: '/journeys/payment-reminder/runs',
        body: JSON.stringify({ customerId: c.profile.id, subject: c.invoice }),
        headers: { ...json, 'idempotency-key': `${c.profile.id}-${c.invoice.id}` },
      },
      false,
    );
    if (c.scenario === 'exit-race') {
      // The payment is sent while the start is still in flight: it races the first message.
      const paid = call(
        {
          label: 'invoice.paid racing the start',
          method: 'POST',
          path: `/customers/${id}/events`,
          body: JSON.stringify({ type: 'invoice.paid', subjectId: c.invoice.id }),
          headers: json,
        },
        false,
      );
      await Promise.all([start, paid]);
    }
    const started = await start;
    if (started.status !== 201 && started.status !== 200)
      startsRefused.push({
        customerId: c.profile.id,
        scenario: c.scenario,
        faults: [],
        note: `start answered ${started.status}`,
      });
    if (c.scenario === 'erase-race') {
      const erase = await call(
        { label: 'erase racing the run', method: 'DELETE', path: `/customers/${id}` },
        false,
      );
      if (erase.status === 200) erased.add(c.profile.id);
      else eraseRefused.push(`${c.profile.id}: ${erase.status}`);
    }
  };

  // Valid requests per customer: put, start, and the race's one; a malformed one after every ninth.
  const tasks: Array<() => Promise<void>> = [];
  let validSoFar = 0;
  let malformedSoFar = 0;
  for (const [i, customer] of customers.entries()) {
    tasks.push(journeyOf(customer));
    validSoFar += customer.scenario === 'plain' ? 2 : 3;
    while (malformedSoFar < (validSoFar * MALFORMED_SHARE) / (1 - MALFORMED_SHARE)) {
      const request = malformedRequest(
        malformedSoFar,
        customers[(i * 7) % customers.length]?.profile.id ?? 'x',
      );
      tasks.push(async () => {
        await call(request, true);
      });
      malformedSoFar += 1;
    }
  }

  const started = performance.now();
  const progress = setInterval(() => {
    const runs = stack.engine.listExecutions();
    console.error(
      `${Math.round((performance.now() - started) / 1000)} s: ${runs.length} runs, ${runs.filter((e) => e.status === 'RUNNING').length} running, ${counts.valid + counts.malformed} requests, ${rssMb()} MB max RSS`,
    );
  }, 30_000);
  progress.unref();
  await inPool(tasks, IN_FLIGHT);
  // Simulated time runs every journey to its end; a run still going at the horizon is stuck.
  const horizon = new Promise<'horizon'>((resolve) =>
    setTimeout(() => resolve('horizon'), options.horizonSeconds * 1000).unref(),
  );
  await Promise.race([stack.engine.whenIdle(), horizon]);
  await stack.feedback.flush();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(progress);

  const byId = new Map(customers.map((c) => [c.profile.id, c]));
  const byAddress = new Map<string, BenchCustomer>();
  for (const c of customers) {
    byAddress.set((c.profile.email as string).toLowerCase(), c);
    byAddress.set(c.profile.phone as string, c);
  }
  const faultsOf = new Map<string, string[]>();
  const faultsInjected: Record<string, number> = {};
  for (const fault of stack.faults.injected()) {
    const key = `${fault.channel}:${fault.kind}`;
    faultsInjected[key] = (faultsInjected[key] ?? 0) + 1;
    const customer = byAddress.get(fault.to.toLowerCase());
    if (customer) faultsOf.set(customer.profile.id, [...(faultsOf.get(customer.profile.id) ?? []), key]);
  }
  const finding = (customerId: string, note: string): Finding => ({
    customerId,
    scenario: byId.get(customerId)?.scenario ?? 'plain',
    faults: faultsOf.get(customerId) ?? [],
    note,
  });

  // What reached each customer, from the outboxes.
  const received = new Map<string, string[]>();
  for (const email of await stack.ses.listEmails()) {
    const customer = byAddress.get((email.to[0] ?? '').toLowerCase());
    if (!customer) continue;
    received.set(customer.profile.id, [
      ...(received.get(customer.profile.id) ?? []),
      `email\n${email.subject}\n${email.text ?? ''}`,
    ]);
  }
  for (const sms of stack.sms.messages()) {
    const customer = byAddress.get(sms.phoneNumber);
    if (!customer) continue;
    received.set(customer.profile.id, [...(received.get(customer.profile.id) ?? []), `sms\n${sms.message}`]);
  }
  const duplicateCustomers: Finding[] = [];
  let duplicates = 0;
  for (const [customerId, messages] of received) {
    const extra = messages.length - new Set(messages).size;
    if (extra === 0) continue;
    duplicates += extra;
    const twice = [...new Set(messages.filter((m, i) => messages.indexOf(m) !== i))].map((m) =>
      m.split('\n').slice(0, 2).join(': '),
    );
    duplicateCustomers.push(finding(customerId, `${extra} extra: ${twice.join(' | ').slice(0, 160)}`));
  }

  // Lost: reachable, nothing received, and nothing saying why.
  const handedOver = new Set(stack.handOvers.events().map((h) => h.customerId));
  const lostCustomers: Finding[] = [];
  const unknownOutcomeUnreached: Finding[] = [];
  const unreachedWithReason: Record<string, number> = {};
  for (const c of customers) {
    const id = c.profile.id;
    if (erased.has(id) || (received.get(id)?.length ?? 0) > 0) continue;
    const timeline = await stack.repository.listTimeline(id, 200);
    const outcomes = new Set(
      timeline.flatMap((e) =>
        (e.kind === 'message' &&
          (e.outcome === 'skipped' || e.outcome === 'failed' || e.outcome === 'unknown')) ||
        (e.kind === 'journey' && e.outcome === 'goal-reached')
          ? [e.outcome]
          : [],
      ),
    );
    const reason = outcomes.has('goal-reached')
      ? 'goal reached before a message'
      : handedOver.has(id)
        ? 'handed over'
        : outcomes.has('failed') || outcomes.has('skipped')
          ? 'skipped or refused, with reasons'
          : outcomes.has('unknown')
            ? 'outcome unknown (maybe sent)'
            : undefined;
    if (reason) {
      unreachedWithReason[reason] = (unreachedWithReason[reason] ?? 0) + 1;
      if (reason === 'outcome unknown (maybe sent)')
        unknownOutcomeUnreached.push(
          finding(id, 'no message in any outbox; the conversation says maybe sent'),
        );
      continue;
    }
    const run = stack.engine.listExecutions().find((e) => JSON.parse(e.input).customerId === id);
    lostCustomers.push(
      finding(
        id,
        `${run ? `run ${run.status}${run.error ? ` (${run.error})` : ''} via ${run.statesEntered.slice(-3).join(' → ')}` : 'no run'}; conversation: ${
          timeline
            .toReversed()
            .map((e) => [e.kind, e.stepId, e.outcome].filter(Boolean).join('/'))
            .join(', ') || 'empty'
        }`,
      ),
    );
  }

  // Stuck: still running once everything else has ended (or the horizon passed).
  const runs = stack.engine.listExecutions().filter((e) => e.stateMachineArn.endsWith('-payment-reminder'));
  const executions: Record<string, number> = {};
  for (const run of runs) executions[run.status] = (executions[run.status] ?? 0) + 1;
  const stuckRuns = runs
    .filter((e) => e.status === 'RUNNING')
    .map((e) =>
      finding(
        JSON.parse(e.input).customerId,
        `in ${e.statesEntered.at(-1) ?? '?'} after ${e.statesEntered.length} states`,
      ),
    );
  // The run item's own status, for what reads it rather than Step Functions.
  let runRecordsRunningAfterEnd = 0;
  for (const c of customers) {
    if (erased.has(c.profile.id)) continue;
    for (const record of await stack.repository.listRuns(c.profile.id)) {
      const execution = stack.engine.describeExecution(record.executionArn);
      if (record.status === 'running' && execution && execution.status !== 'RUNNING')
        runRecordsRunningAfterEnd += 1;
    }
  }

  /** Returns the kinds of the items in each erased customer's partition that holds any. */
  const erasedPartitions = async () => {
    const found = new Map<string, string[]>();
    for (const id of erased) {
      const items = await stack.dynamoClient.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `CUSTOMER#${id}` } },
          ProjectionExpression: 'sk',
        }),
      );
      const kinds = (items.Items ?? []).map((item) => (item.sk?.S ?? '').split('#')[0] ?? '');
      if (kinds.length > 0) found.set(id, kinds);
    }
    return found;
  };
  // What steps in flight wrote after their erasure answered; the erasures' second passes run when
  // simulated time reaches them (`SECOND_PASS_DELAY_MS` after each erasure), as their schedules would.
  const lateWrites = [...(await erasedPartitions()).values()].reduce((sum, kinds) => sum + kinds.length, 0);
  await stack.advanceTime(SECOND_PASS_DELAY_MS);
  const secondPasses = stack.erasurePasses.runs;

  // Items left in the partitions of customers the API said it erased, after the second passes.
  const itemsLeft: Finding[] = [];
  let itemsLeftAfterErasure = 0;
  for (const [id, kinds] of await erasedPartitions()) {
    itemsLeftAfterErasure += kinds.length;
    itemsLeft.push(finding(id, kinds.join(', ')));
  }

  const ended = runs.filter((e) => e.status !== 'RUNNING').length;
  const scenarios: Record<Scenario, number> = { plain: 0, 'exit-race': 0, 'erase-race': 0 };
  for (const c of customers) scenarios[c.scenario] += 1;
  const result: TrustResult = {
    customers: customers.length,
    seed: options.seed,
    faults: faultSpec,
    seconds: Math.round(seconds * 10) / 10,
    runs: runs.length,
    runsPerSecond: Math.round((ended / seconds) * 10) / 10,
    peakRssMb: rssMb(),
    requests: counts,
    duplicates,
    lost: lostCustomers.length,
    stuck: stuckRuns.length,
    serverErrors: serverErrors.length,
    itemsLeftAfterErasure,
    detail: {
      scenarios,
      faultsInjected,
      executions,
      erased: erased.size,
      eraseRefused: eraseRefused.length,
      lateWritesBeforeSecondPass: lateWrites,
      secondPasses: {
        ran: secondPasses.length,
        failed: secondPasses.filter((run) => run.outcome === 'failed').length,
      },
      startsRefused: startsRefused.length,
      unreachedWithReason,
      runRecordsRunningAfterEnd,
      feedbackFailures: Object.fromEntries(
        [...new Set(stack.feedback.failures.map((f) => `${f.kind}: ${f.error}`))].map((key) => [
          key,
          stack.feedback.failures.filter((f) => `${f.kind}: ${f.error}` === key).length,
        ]),
      ),
      tableAccessDenied: new Set(stack.tableAccessDenied).size,
      duplicateCustomers,
      lostCustomers,
      stuckRuns,
      serverErrorRequests: serverErrors,
      connectionErrors,
      itemsLeft,
      unknownOutcomeUnreached,
    },
    targetsMet: false,
    load: loadavg().map((l) => Math.round(l * 10) / 10),
    cpus: cpus().length,
    at: new Date().toISOString(),
  };
  result.targetsMet =
    result.duplicates === 0 &&
    result.lost === 0 &&
    result.stuck === 0 &&
    result.serverErrors === 0 &&
    result.itemsLeftAfterErasure === 0;
  return result;
}

/** Returns the result as Markdown: the targets table, then what to route. */
export function trustMarkdown(r: TrustResult, command: string): string {
  const mark = (n: number) => (n === 0 ? '0 ✓' : `**${n.toLocaleString('en')}** ✗`);
  const list = (findings: Finding[]) =>
    findings
      .slice(0, 10)
      .map(
        (f) =>
          `${f.customerId} (${f.scenario}${f.faults.length > 0 ? `; ${f.faults.join(', ')}` : ''}): ${f.note}`,
      )
      .join('; ') + (findings.length > 10 ? `; … ${findings.length - 10} more` : '');
  const byRequest = new Map<string, number>();
  for (const e of r.detail.serverErrorRequests) {
    const key = `${e.request} → ${e.status}${e.error ? ` ${e.error}` : ''}`;
    byRequest.set(key, (byRequest.get(key) ?? 0) + 1);
  }
  return [
    `Trust benchmark (command: ${command}; ${r.at.slice(0, 16).replace('T', ' ')} UTC, load ${r.load.join(' / ')} on ${r.cpus} cores)`,
    '',
    '| figure | target | measured |',
    '|---|---:|---|',
    `| customers through the HTTP API (50 in flight) | ≥ 1,000 | ${r.customers.toLocaleString('en')}: ${r.detail.scenarios['exit-race']} paid racing the first message, ${r.detail.scenarios['erase-race']} erased mid-run; ${r.requests.valid.toLocaleString('en')} valid and ${r.requests.malformed.toLocaleString('en')} malformed requests (${r.requests.malformedAccepted} malformed accepted) |`,
    `| duplicates (same message to the same customer twice) | 0 | ${mark(r.duplicates)} |`,
    `| lost (reachable, no message, no recorded reason) | 0 | ${mark(r.lost)} |`,
    `| stuck runs | 0 | ${mark(r.stuck)} |`,
    `| 5xx answers | 0 | ${mark(r.serverErrors)} |`,
    `| items left after erasure (${r.detail.erased} erased; after their second passes) | 0 | ${mark(r.itemsLeftAfterErasure)} (${r.detail.lateWritesBeforeSecondPass} written late, before the second passes: ${r.detail.secondPasses.ran} ran, ${r.detail.secondPasses.failed} failed) |`,
    `| runs per second (started → all ended) | — | ${r.runsPerSecond} (${r.runs.toLocaleString('en')} runs in ${r.seconds} s) |`,
    `| peak memory (max RSS) | — | ${r.peakRssMb} MB |`,
    '',
    `Faults injected (${r.faults.split(',')[0]}): ${
      Object.entries(r.detail.faultsInjected)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }.`,
    `Runs: ${Object.entries(r.detail.executions)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}. Unreached with a reason: ${
      Object.entries(r.detail.unreachedWithReason)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'none'
    }.`,
    `Run items still "running" after their run ended: ${r.detail.runRecordsRunningAfterEnd}. Starts refused: ${r.detail.startsRefused}. Connections dropped before an answer (retried): ${r.detail.connectionErrors.length}${r.detail.connectionErrors.length > 0 ? ` (${[...new Set(r.detail.connectionErrors.map((e) => `${e.request}: ${e.error}`))].join('; ')})` : ''}. Erasures refused: ${r.detail.eraseRefused}. Feedback events failed: ${
      Object.entries(r.detail.feedbackFailures)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'none'
    }. Table calls the local IAM refused: ${r.detail.tableAccessDenied}.`,
    ...(r.detail.duplicateCustomers.length > 0
      ? ['', `Duplicates: ${list(r.detail.duplicateCustomers)}`]
      : []),
    ...(r.detail.lostCustomers.length > 0 ? ['', `Lost: ${list(r.detail.lostCustomers)}`] : []),
    ...(r.detail.unknownOutcomeUnreached.length > 0
      ? ['', `Unreached, recorded as maybe sent: ${list(r.detail.unknownOutcomeUnreached)}`]
      : []),
    ...(r.detail.stuckRuns.length > 0 ? ['', `Stuck: ${list(r.detail.stuckRuns)}`] : []),
    ...(byRequest.size > 0 ? ['', `5xx: ${[...byRequest].map(([k, n]) => `${n}× ${k}`).join('; ')}`] : []),
    ...(r.detail.itemsLeft.length > 0 ? ['', `Items left: ${list(r.detail.itemsLeft)}`] : []),
  ].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'horizon-seconds': { type: 'string', default: '900' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      /** Also writes the "trust" section of docs/performance.md from this run. */
      docs: { type: 'boolean', default: false },
    },
  });
  const options = {
    customers: Number(values.customers),
    seed: Number(values.seed),
    horizonSeconds: Number(values['horizon-seconds']),
  };
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) {
      console.error(`--${name} must be a whole number ≥ 1`);
      process.exit(2);
    }
  }
  const result = await trustRun(options);
  const command = `npm run bench:trust -- --customers ${options.customers} --seed ${options.seed}`;
  const markdown = trustMarkdown(result, command);
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else console.log(markdown);
  const outDir = values.out ?? join(repoRoot, '.local', 'bench');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'trust.md'), `${markdown}\n`);
  await writeFile(join(outDir, 'trust.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (values.docs) await writeGeneratedSection('trust', markdown);
  process.exit(values.strict && !result.targetsMet ? 1 : 0);
}
