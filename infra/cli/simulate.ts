/**
 * `klantreis simulate --journey <id> --customers <file.json> [--at <ISO instant>] [--json] [--policy <file>]`
 *
 * "What would this journey do for these customers at this time?" Plans every message step of the
 * journey for every customer with the same decision code the Lambdas run, and prints each
 * decision with its reasons. Sends nothing, reads no database: suppressions are not known here.
 */
import '#adapters/zod-english.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import type { AslDefinition } from '#application/asl.ts';
import { channelTotals, planJourney, plannedStepView } from '#application/journey-plan.ts';
import { journeys } from '#catalog/catalog.ts';
import { type BehaviourEvent, BehaviourEventSchema } from '#core/behaviour.ts';
import { CustomerProfileSchema } from '#core/customer.ts';
import { type Policy, PolicySchema } from '#core/policy.ts';
import { subjects } from '#subjects/registry.ts';
import { repoRoot } from '../constructs/repo-root.ts';
import { contentReport } from '../content/content-issue.ts';
import { validateContentFiles } from '../content/validate-files.ts';

/** One line of the simulator's JSON output. */
export interface SimulatedEntry {
  customerId: string | null;
  journeyId: string;
  step: string | null;
  segment: string | null;
  channel: string | null;
  fallbacks: string[];
  sendAt: string | null;
  localSendAt: string | null;
  timezone: string | null;
  template: string | null;
  variant: string | null;
  locale: string | null;
  costUsd: number | null;
  /** When the decision is made on the simulated clock. */
  decidedAt: string | null;
  /** The step's experiment, the customer's arm of it and what the arm changes; null when the step has none. */
  experiment: string | null;
  arm: string | null;
  armChange: string | null;
  /** Null, or why nothing is sent: `no-reachable-channel`, `contact-pressure`, `deadline`, `no-slot`, `holdout`, `invalid-customer`. */
  skipped: string | null;
  reasons: string[];
}

export const USAGE = `Usage: klantreis simulate --journey <id> --customers <file.json> [--subject <json> | --subject-file <file.json>] [--at <ISO instant>] [--json] [--policy <file.json>]

Plans every message step of the journey for every customer, without sending anything.
  --journey       a journey id from functions/catalog/catalog.ts (${journeys.map((j) => j.id).join(', ')})
  --customers     a JSON array of customer profiles, or
                  {"customers": [...], "events": {"<customerId>": [events]}, "subjects": {"<customerId>": subject}}
  --subject       the subject every customer's run is about, as JSON, e.g.
                  '{"type":"invoice","id":"INV-1","amount":"12.50","currency":"EUR","dueDate":"2026-12-04","payUrl":"https://pay.example.com/1"}'
  --subject-file  the same, read from a file (a customer's own entry in "subjects" wins over either)
  --at            when the journey starts (default: now), e.g. 2026-12-01T08:00:00Z
  --json          print one JSON array instead of a table
  --policy        a communication policy file instead of templates/policy.json

Exit codes:
  0  planned (malformed customers are in the output, with their problems)
  1  a file cannot be read or is not JSON
  2  bad arguments
  3  invalid content: the journey's definition, the policy or a template.json (each problem on a line)`;

/** The exit codes `--help` documents. */
export const EXIT = { planned: 0, unreadableFile: 1, badArguments: 2, invalidContent: 3 } as const;

/** A problem with the command line or its files: exit code 2 (arguments), 1 (files) or 3 (content). */
export class SimulateError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

const CustomersFileSchema = z.union([
  z.array(z.unknown()),
  z.object({
    customers: z.array(z.unknown()),
    events: z.optional(z.record(z.string(), z.array(z.unknown()))),
    subjects: z.optional(z.record(z.string(), z.unknown())),
  }),
]);

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SimulateError(
      `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      1,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new SimulateError(`the ${what} file ${path} is not valid JSON`, 1);
  }
}

/** Returns the failing fields and messages of a zod error, never the values (they may be personal). */
function issuesOf(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(customer)'}: ${issue.message}`).join('; ');
}

export interface SimulateOptions {
  journeyId: string;
  customersFile: string;
  at: Date;
  json: boolean;
  policyFile?: string;
  /** The subject every customer's run is about (`--subject`, `--subject-file`), not yet validated. */
  subject?: unknown;
}

/** Returns the options from the command line (after `simulate`); throws SimulateError(2) on bad arguments. */
export function parseSimulateArgs(argv: string[], now: Date): SimulateOptions {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options }>>;
  const options = {
    journey: { type: 'string' },
    customers: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean', default: false },
    policy: { type: 'string' },
    subject: { type: 'string' },
    'subject-file': { type: 'string' },
    help: { type: 'boolean', default: false },
  } as const;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new SimulateError(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  const { values } = parsed;
  if (values.help) throw new SimulateError(USAGE, 0);
  if (!values.journey) throw new SimulateError(`--journey is required\n\n${USAGE}`, 2);
  if (!values.customers) throw new SimulateError(`--customers is required\n\n${USAGE}`, 2);
  let at = now;
  if (values.at !== undefined) {
    const valid =
      z.iso.datetime({ offset: true }).safeParse(values.at).success ||
      z.iso.date().safeParse(values.at).success;
    if (!valid)
      throw new SimulateError(`--at must be an ISO instant such as 2026-12-01T08:00:00Z\n\n${USAGE}`, 2);
    at = new Date(values.at);
  }
  if (values.subject !== undefined && values['subject-file'] !== undefined) {
    throw new SimulateError(`--subject and --subject-file: give one of them\n\n${USAGE}`, 2);
  }
  let subject: unknown;
  if (values.subject !== undefined) {
    try {
      subject = JSON.parse(values.subject);
    } catch {
      throw new SimulateError(`--subject must be JSON, e.g. '{"type":"invoice",…}'\n\n${USAGE}`, 2);
    }
  }
  if (values['subject-file'] !== undefined) subject = readJson(values['subject-file'], 'subject');
  return {
    journeyId: values.journey,
    customersFile: values.customers,
    at,
    json: values.json,
    ...(values.policy ? { policyFile: values.policy } : {}),
    ...(subject !== undefined ? { subject } : {}),
  };
}

function loadJourney(journeyId: string, policyFile: string | undefined): AslDefinition {
  const journey = journeys.find((j) => j.id === journeyId);
  if (!journey) {
    throw new SimulateError(
      `unknown journey ${journeyId}; known: ${journeys.map((j) => j.id).join(', ')}`,
      EXIT.badArguments,
    );
  }
  const definition = readJson(resolve(repoRoot, journey.definitionFile), 'journey');
  if (policyFile) readJson(policyFile, 'policy');
  // Invalid content is refused here as at synth and npm start: the plan would show what cannot run.
  const issues = validateContentFiles({
    journeyFiles: [journey.definitionFile],
    ...(policyFile ? { policyFile: resolve(policyFile) } : {}),
  });
  if (issues.length > 0) throw new SimulateError(contentReport(issues), EXIT.invalidContent);
  return definition as AslDefinition;
}

function loadPolicyFile(path: string | undefined): Policy {
  if (!path) return loadPolicy();
  // Validated with the content (loadJourney): this parse fills in the defaults.
  return PolicySchema.parse(readJson(path, 'policy'));
}

const EMPTY = {
  step: null,
  segment: null,
  channel: null,
  fallbacks: [],
  sendAt: null,
  localSendAt: null,
  timezone: null,
  template: null,
  variant: null,
  locale: null,
  costUsd: null,
  decidedAt: null,
  experiment: null,
  arm: null,
  armChange: null,
} as const;

/** Returns the simulated plan of every customer, and notes on what could not be simulated. */
export function simulate(options: SimulateOptions): { entries: SimulatedEntry[]; notes: string[] } {
  const definition = loadJourney(options.journeyId, options.policyFile);
  const policy = loadPolicyFile(options.policyFile);
  // The templates: each SMS is counted for its customer as the run counts it (its price, its limit).
  const content = { catalog: loadTemplateCatalog(defaultTemplatesDir()) };
  const file = CustomersFileSchema.safeParse(readJson(options.customersFile, 'customers'));
  if (!file.success) {
    throw new SimulateError(
      'the customers file must hold a JSON array of customers, or {"customers": [...], "events": {...}}',
      1,
    );
  }
  const customers = Array.isArray(file.data) ? file.data : file.data.customers;
  const eventsById = Array.isArray(file.data) ? {} : (file.data.events ?? {});
  const subjectsById = Array.isArray(file.data) ? {} : (file.data.subjects ?? {});
  const journeySubject = (raw: unknown, what: string) => {
    const parsed = subjects.schema.safeParse(raw);
    if (!parsed.success) throw new SimulateError(`${what} is not valid: ${issuesOf(parsed.error)}`, 1);
    const expected = journeys.find((j) => j.id === options.journeyId)?.subject;
    if (expected && parsed.data.type !== expected) {
      throw new SimulateError(
        `${what} is of type ${parsed.data.type}; ${options.journeyId} is about subject type ${expected}`,
        1,
      );
    }
    return parsed.data;
  };
  const given = options.subject === undefined ? undefined : journeySubject(options.subject, 'the subject');

  const entries: SimulatedEntry[] = [];
  const notes = new Set<string>();
  customers.forEach((raw, index) => {
    const rawId = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
    const customerId = typeof rawId === 'string' ? rawId : null;
    const parsed = CustomerProfileSchema.safeParse(raw);
    if (!parsed.success) {
      entries.push({
        customerId,
        journeyId: options.journeyId,
        ...EMPTY,
        fallbacks: [],
        skipped: 'invalid-customer',
        reasons: [`invalid customer #${index + 1}: ${issuesOf(parsed.error)}`],
      });
      return;
    }
    const customer = parsed.data;
    const events: BehaviourEvent[] = [];
    const eventReasons: string[] = [];
    for (const [i, rawEvent] of (eventsById[customer.id] ?? []).entries()) {
      const event = BehaviourEventSchema.safeParse(rawEvent);
      if (event.success) events.push(event.data);
      else eventReasons.push(`event #${i + 1} ignored: ${issuesOf(event.error)}`);
    }
    const own = subjectsById[customer.id];
    const subject = own === undefined ? given : journeySubject(own, `the subject of ${customer.id}`);
    const plan = planJourney({
      journeyId: options.journeyId,
      definition,
      customer,
      policy,
      at: options.at,
      subject,
      events,
      content,
    });
    for (const note of plan.notes) notes.add(note);
    for (const planned of plan.steps) {
      entries.push({
        customerId: customer.id,
        journeyId: options.journeyId,
        ...plannedStepView(planned),
        costUsd: planned.decision.costUsd,
        reasons: [...eventReasons, ...planned.reasons],
      });
    }
  });
  return { entries, notes: [...notes] };
}

/** Returns the entries as a table with each entry's reasons beneath it. */
export function formatTable(entries: readonly SimulatedEntry[]): string {
  const header = [
    'customer',
    'step',
    'segment',
    'channel (fallbacks)',
    'local send time',
    'timezone',
    'template/variant/locale',
    'cost USD',
    'experiment arm',
    'skipped',
  ];
  const rows = entries.map((e) => [
    e.customerId ?? '?',
    e.step ?? '-',
    e.segment ?? '-',
    e.channel ? `${e.channel}${e.fallbacks.length > 0 ? ` (${e.fallbacks.join(', ')})` : ''}` : '-',
    e.localSendAt?.replace('T', ' ').replace(/:\d\d\.\d{3}/, ' ') ?? '-',
    e.timezone ?? '-',
    e.template ? `${e.template}/${e.variant}/${e.locale}` : '-',
    e.costUsd !== null && !e.skipped ? String(Number(e.costUsd.toPrecision(6))) : '-',
    e.arm ? `${e.arm}: ${e.armChange}` : '-',
    e.skipped ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  rows.forEach((row, i) => {
    out.push(line(row));
    for (const reason of entries[i]?.reasons ?? []) out.push(`    - ${reason}`);
  });
  // Every customer's messages by channel, letters and calls included, at the policy's prices.
  const totals = channelTotals(entries);
  if (totals.length > 0) {
    out.push(
      '',
      `messages by channel: ${totals.map((t) => `${t.channel} ${t.messages} (${Number(t.costUsd.toFixed(4))} USD)`).join(', ')}`,
    );
  }
  return out.join('\n');
}

/** Runs the command; returns the exit code (0 also when some customers are malformed: they are in the output). */
export function runSimulate(
  argv: string[],
  io: { out: (text: string) => void; err: (text: string) => void; now: () => Date },
): number {
  try {
    const options = parseSimulateArgs(argv, io.now());
    const { entries, notes } = simulate(options);
    io.out(options.json ? JSON.stringify(entries, null, 2) : formatTable(entries));
    for (const note of notes) io.err(`note: ${note}`);
    return 0;
  } catch (error) {
    if (error instanceof SimulateError) {
      (error.exitCode === 0 ? io.out : io.err)(error.message);
      return error.exitCode;
    }
    throw error;
  }
}
