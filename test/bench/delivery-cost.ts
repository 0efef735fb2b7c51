/**
 * `npm run bench:delivery`: what one delivered message of the payment reminder costs, counted
 * (not estimated) on the local runtime: Step Functions state transitions, Lambda invocations and
 * DynamoDB reads and writes, per path through the journey. Every customer of a scenario takes the
 * same path; the invoice is never paid, so every reminder is sent.
 *
 * State transitions are the states entered plus retries (what Standard workflows bill). Lambda
 * invocations and DynamoDB calls are split by who made them: `api` (starting the run), `journey`
 * (the steps and the journey's direct DynamoDB reads) and `feedback` (delivery events, opens).
 */
import { parseArgs } from 'node:util';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const { startLocalStack } = await import('#infra/local/runtime.ts');
const { demoInvoice, seedCustomers, startPaymentReminder } = await import('#infra/local/demo.ts');
const { PATHS } = await import('./cost-model.ts');

const { values: args } = parseArgs({ options: { customers: { type: 'string', default: '40' } } });
const perScenario = Number(args.customers);
const simulationStart = new Date('2026-12-01T07:00:00Z');

// The same customer paths the cost model prices, started through the API.
const scenarios = PATHS.filter((path) => !path.scheduled);

interface Row {
  scenario: string;
  runs: number;
  delivered: number;
  transitions: number;
  lambdaJourney: number;
  lambdaApi: number;
  lambdaFeedback: number;
  readsJourney: number;
  writesJourney: number;
  readsApi: number;
  writesApi: number;
  readsFeedback: number;
  writesFeedback: number;
}

async function measure(scenario: (typeof PATHS)[number]): Promise<Row> {
  const customers = Array.from({ length: perScenario }, (_, i) => scenario.profile(i));
  const stack = await startLocalStack({
    ports: { api: 0, ses: 0, sms: 0, dynamodb: 0, stepFunctions: 0 },
    simulationStart,
    ...(scenario.opens ? { emailOpeners: customers.flatMap((c) => (c.email ? [c.email] : [])) } : {}),
    rates: { email: 1000, sms: 1000 },
  });
  try {
    await seedCustomers(stack, customers);
    stack.meter.reset();
    for (const [i, customer] of customers.entries()) {
      const started = await startPaymentReminder(
        stack,
        customer.id,
        demoInvoice(customer, i, simulationStart),
      );
      if (started.status !== 201) throw new Error(`start failed: ${JSON.stringify(started.body)}`);
    }
    await stack.engine.whenIdle();
    const executions = stack.engine.listExecutions();
    const failed = executions.filter((e) => e.status !== 'SUCCEEDED');
    if (failed.length > 0)
      throw new Error(`${failed.length} runs failed: ${failed[0]?.error} ${failed[0]?.cause}`);
    const delivered =
      ((await stack.feedback.delivered.get('Delivery')) ?? 0) +
      (stack.feedback.delivered.get('TEXT_DELIVERED') ?? 0);
    const counts = stack.meter.snapshot();
    const of = (label: string) =>
      counts[label] ?? { lambdaInvocations: 0, dynamoDbReads: 0, dynamoDbWrites: 0 };
    return {
      scenario: scenario.name,
      runs: executions.length,
      delivered,
      transitions: executions.reduce((sum, e) => sum + e.statesEntered.length + e.retries.length, 0),
      lambdaJourney: executions.reduce((sum, e) => sum + e.lambdaInvocations, 0),
      lambdaApi: of('api').lambdaInvocations,
      lambdaFeedback: of('feedback').lambdaInvocations,
      readsJourney: of('journey').dynamoDbReads,
      writesJourney: of('journey').dynamoDbWrites,
      readsApi: of('api').dynamoDbReads,
      writesApi: of('api').dynamoDbWrites,
      readsFeedback: of('feedback').dynamoDbReads,
      writesFeedback: of('feedback').dynamoDbWrites,
    };
  } finally {
    await stack.stop();
  }
}

const per = (n: number, d: number) => (d === 0 ? '—' : (n / d).toFixed(2));
const rows: Row[] = [];
for (const scenario of scenarios) rows.push(await measure(scenario));

const header = [
  'path',
  'runs',
  'msgs',
  'transitions/msg',
  'λ journey/msg',
  'λ api/msg',
  'λ feedback/msg',
  'DDB R journey',
  'DDB W journey',
  'DDB R api',
  'DDB W api',
  'DDB R feedback',
  'DDB W feedback',
];
const table = rows.map((r) => [
  r.scenario,
  String(r.runs),
  String(r.delivered),
  per(r.transitions, r.delivered),
  per(r.lambdaJourney, r.delivered),
  per(r.lambdaApi, r.delivered),
  per(r.lambdaFeedback, r.delivered),
  per(r.readsJourney, r.delivered),
  per(r.writesJourney, r.delivered),
  per(r.readsApi, r.delivered),
  per(r.writesApi, r.delivered),
  per(r.readsFeedback, r.delivered),
  per(r.writesFeedback, r.delivered),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(
  `Payment reminder, per delivered message (${perScenario} runs per path, unpaid, local runtime):\n`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of table) console.log(line(row));
console.log('\nTotals per path:');
for (const r of rows) console.log(JSON.stringify(r));
