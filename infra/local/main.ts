/**
 * `npm start`: Klantreis on one machine. Starts the emulators, the journeys, the HTTP API and the
 * console (development sign-in; hand-over links open the customer there), seeds the demo
 * customers, runs the payment reminder for each and onboarding and appointment runs for some
 * (`demo-scenario.ts`) on simulated time, prints what happened per run, then keeps serving
 * until Ctrl-C (or exits with `--once`).
 *
 * `--fire-schedule=<id>` starts the reminders the scheduled way instead: each demo customer gets an
 * invoice (recorded as `invoice.created` through the API) that the schedule finds due, and the
 * schedule fires now — the scheduled batch runs through the same ASL as on AWS.
 *
 * `--faults=<spec>` (or `KLANTREIS_FAULTS`) makes the local SES and SMS endpoints refuse, throttle,
 * fail or time out on some sends (`emulators/provider-faults.ts`), e.g.
 * `--faults=sms:throttle:first=2,email:unavailable:share=0.1`.
 *
 * `--sms-sender=end-user-messaging` (or `KLANTREIS_SMS_SENDER`) sends SMS as End User Messaging SMS
 * `SendTextMessage` instead of SNS `Publish`, as a stage's `sms.sender` does on AWS.
 */
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    'port-base': { type: 'string', default: process.env.KLANTREIS_PORT_BASE ?? '4010' },
    at: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'fire-schedule': { type: 'string' },
    faults: { type: 'string', default: process.env.KLANTREIS_FAULTS ?? '' },
    'sms-sender': { type: 'string', default: process.env.KLANTREIS_SMS_SENDER ?? 'sns' },
  },
});

// Powertools reads these when its instances are created, so set them before importing handlers.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= args.verbose ? 'INFO' : 'ERROR';

// Invalid content stops the start before anything runs: each problem on a line, no stack, exit code 1.
const { contentGate } = await import('../content/validate-content.ts');
if (!(await contentGate((text) => console.error(text)))) process.exit(1);

const { startLocalStack } = await import('./runtime.ts');
const { repoRoot } = await import('../constructs/repo-root.ts');
const { describeFaultRule, FAULT_MEANINGS, FaultSpecError, parseFaultSpec } = await import(
  './emulators/provider-faults.ts'
);
const demo = await import('./demo.ts');
const { demoCustomers, demoEmailOpeners } = await import('./demo-customers.ts');
const { demoRows, playDemo } = await import('./demo-scenario.ts');
const { formatTable } = await import('./demo-table.ts');
const { demoResults, formatDemoResults } = await import('./demo-results.ts');
const { SendWatch } = await import('./send-watch.ts');
const watch = new SendWatch();
const { dueWindowOf, runDayOf } = await import('#core/schedule.ts');
type InvoiceSubject = import('#subjects/invoice.ts').InvoiceSubject;

const base = Number(args['port-base']);
if (!Number.isInteger(base) || base < 0 || base > 65_000)
  throw new Error('--port-base must be a port number');
const port = (offset: number) => (base === 0 ? 0 : base + offset);
const simulationStart = args.at ? new Date(args.at) : new Date();
if (Number.isNaN(simulationStart.getTime())) throw new Error('--at must be an ISO date-time');
let faults: ReturnType<typeof parseFaultSpec>;
try {
  faults = parseFaultSpec(args.faults);
} catch (error) {
  if (!(error instanceof FaultSpecError)) throw error;
  console.error(
    `--faults / KLANTREIS_FAULTS: ${error.message}.\nA fault is channel:kind[:share=0..1|:first=N][:to=address][:hold=ms], comma-separated, with an optional seed=N; channels email, sms; kinds ${Object.keys(FAULT_MEANINGS).join(', ')}.`,
  );
  process.exit(2);
}

const smsSender = args['sms-sender'];
if (smsSender !== 'sns' && smsSender !== 'end-user-messaging') {
  console.error('--sms-sender / KLANTREIS_SMS_SENDER: sns or end-user-messaging');
  process.exit(2);
}

// This run's counted result events, as the stage's Firehose stream delivers them to S3 for Athena.
const resultEventsDir = join(repoRoot, '.local', 'results-events');
await rm(resultEventsDir, { recursive: true, force: true });
// This run's letters as PDFs, as the print-and-mail partner would collect them from the letters bucket.
const lettersDir = join(repoRoot, '.local', 'letters');
await rm(lettersDir, { recursive: true, force: true });

let stack: Awaited<ReturnType<typeof startLocalStack>>;
try {
  stack = await startLocalStack({
    ports: {
      api: port(0),
      ses: port(1),
      sms: port(2),
      dynamodb: port(3),
      stepFunctions: port(4),
      console: port(5),
      letters: port(6),
    },
    simulationStart,
    // The demo's customers answer a message the moment it goes out (`SendWatch`): no real-time waits.
    wrap: { email: watch.email, sms: watch.sms },
    emailOpeners: demoEmailOpeners,
    faults,
    smsSender,
    resultEventsDir,
    lettersDir,
  });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `A port from ${base} to ${base + 6} is in use: pass --port-base=<n> (or 0 for any free ports).`,
    );
    process.exit(1);
  }
  throw error;
}

console.log(`Klantreis local stack, simulated time from ${simulationStart.toISOString()}`);
console.log(`Development credential for the HTTP API: Authorization: Bearer ${stack.apiToken}\n`);
if (faults.rules.length > 0) {
  console.log(`Provider faults (seed ${faults.seed}):`);
  const width = Math.max(...faults.rules.map((rule) => describeFaultRule(rule).length));
  for (const rule of faults.rules)
    console.log(`  ${describeFaultRule(rule).padEnd(width)}  ${FAULT_MEANINGS[rule.kind]}`);
  console.log('');
}
await demo.seedCustomers(stack, demoCustomers);
console.log(
  `Seeded ${demoCustomers.length} demo customers; starting a payment reminder for each, onboarding and appointments for some…\n`,
);

const scheduleId = args['fire-schedule'];
const invoices = demo.demoInvoices(demoCustomers, simulationStart);
let batchSummary: string | undefined;
const schedule = scheduleId ? stack.schedules.find((s) => s.id === scheduleId) : undefined;
if (scheduleId && !schedule) {
  console.error(`Unknown schedule "${scheduleId}". Known: ${stack.schedules.map((s) => s.id).join(', ')}.`);
  await stack.stop();
  process.exit(1);
}

/** Starts a payment reminder per demo customer: through the API, or by firing the schedule. */
async function startPaymentReminders(): Promise<void> {
  if (!schedule) {
    for (const customer of demoCustomers) {
      const started = await demo.startPaymentReminder(stack, customer.id, invoices.get(customer.id) as never);
      if (started.status !== 201)
        console.error(`could not start for ${customer.id}: ${JSON.stringify(started.body)}`);
    }
    return;
  }
  // Due exactly as the schedule selects: `daysOverdue` days before today in the schedule's zone.
  const dueDate = dueWindowOf(runDayOf(simulationStart, schedule.timezone), schedule.select).to;
  for (const customer of demoCustomers) {
    const invoice = { ...(invoices.get(customer.id) as InvoiceSubject), dueDate };
    invoices.set(customer.id, invoice);
    const recorded = await demo.recordInvoice(stack, customer.id, invoice);
    if (recorded.status !== 202)
      console.error(`could not record the invoice of ${customer.id}: ${JSON.stringify(recorded.body)}`);
  }
  console.log(`Recorded ${demoCustomers.length} invoices due ${dueDate}; firing schedule ${schedule.id}…\n`);
  const batch = await stack.fireSchedule(schedule.id);
  batchSummary = `Scheduled batch ${batch.status.toLowerCase()}: ${batch.output ?? batch.cause ?? ''}`;
  console.log(`${batchSummary}\n`);
}

const play = await playDemo(stack, { simulationStart, invoices, watch, startPaymentReminders });
for (const line of play.notStarted) console.error(`could not start ${line}`);
for (const line of play.missed) console.error(`demo answer missed its moment: ${line}`);

const rows = await demoRows(stack);
console.log(formatTable(rows));
// Read through the HTTP API, as the console and `npx klantreis results` read it.
console.log(`\n${formatDemoResults(await demoResults(stack, 'payment-reminder', simulationStart))}`);
const emails = await stack.ses.listEmails();
console.log(
  `\n${emails.length} emails and ${stack.sms.messages().length} SMS messages in the local outboxes.`,
);
console.log(`Provider feedback: ${demo.describeFeedback(stack.feedback.delivered)}.`);
// The hand-over outbox stands in for the stage's event bus: what a contact centre would receive.
const handOvers = stack.handOvers.events();
console.log(
  `\n${handOvers.length} hand-overs to a person (the stage's event bus on AWS), each opening the customer in the console:`,
);
for (const h of handOvers)
  console.log(
    `  ${h.customerId.padEnd(10)} ${h.reason.padEnd(12)} ${h.consoleUrl ?? stack.consoleCustomerUrl(h.customerId)}`,
  );
console.log('');
console.log(`Console           ${stack.consoleUrl}/   (sign in as dev-agent, dev-editor or dev-viewer)`);
console.log(`HTTP API          ${stack.apiUrl}   (every route: see ${stack.apiUrl}/openapi.json)`);
console.log(`  credential      Authorization: Bearer ${stack.apiToken}`);
console.log(`Email outbox      ${stack.sesUrl}/`);
console.log(
  `  email replies   POST ${stack.apiUrl}/local/email-replies {"to","from","text"} or raw MIME, to an email's Reply-To: reply as a customer`,
);
console.log(`SMS outbox        ${stack.smsUrl}/   (POST /inbound {"from","text"}: reply as a customer)`);
console.log(
  `Letter outbox     ${stack.letterOutboxUrl}/   (${stack.letterOutbox.letters().length} letters; PDFs in ${relative(process.cwd(), lettersDir)}/)`,
);
console.log(`DynamoDB          ${stack.dynamoDbEndpoint}   (table ${stack.tableName})`);
console.log(`Step Functions    ${stack.stepFunctionsEndpoint}`);
await stack.resultEvents.stream.flush();
const shipped = stack.resultEvents.firehose.recordCount();
console.log(
  `Result events     ${relative(process.cwd(), resultEventsDir) || '.'}/day=YYYY-MM-DD/*.jsonl   (${shipped} counted events, one JSON line each: the stage's S3 bucket and Athena tables on AWS)`,
);

// The local runtime holds handlers to their catalog table grants (as IAM does on AWS): any refusal is a bug.
const denied = [...new Set(stack.tableAccessDenied)];
if (denied.length > 0) console.error(`\nLocal IAM refused table calls:\n  ${denied.join('\n  ')}`);

if (args.once) {
  await stack.stop();
  const failed = rows.filter((r) => r.ended.startsWith('failed') || r.ended === 'running');
  const batchFailed = batchSummary !== undefined && !batchSummary.startsWith('Scheduled batch succeeded');
  const broken = failed.length > 0 || batchFailed || denied.length > 0 || play.notStarted.length > 0;
  process.exit(broken ? 1 : 0);
}
console.log('\nServing until Ctrl-C.');
const shutdown = async () => {
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
