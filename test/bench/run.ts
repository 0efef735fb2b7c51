/**
 * `npm run bench`: the figures Klantreis is judged on, measured on this machine.
 *  1. minified bundle size of every Lambda, built the way the CDK stack builds it, and its cold-start
 *     proxy: median ms from process start to the handler ready, beside a baseline (`cold-start.ts`);
 *  2. decisions per second of the pure core over generated customers: segmentation, then the whole
 *     step decision (channel with consent, reachability and cost; contact pressure; slot with
 *     windows, quiet hours, holidays, DST and send-time optimisation; locale and variant), on one core;
 *  3. renders per second of a personalised email (subject + HTML + text) and of an SMS, templates
 *     precompiled (MJML at build time, Liquid parsed once), each with its own signed unsubscribe link.
 *  4. the cost model (`cost-model.ts`): each journey path run through the local runtime, counted and
 *     priced with `prices.json`, USD per 1,000 customers.
 *  5. the console's first load, gzipped (`console-bundle.ts`): what a browser fetches before the first page.
 *  6. SMS length and cost (`sms.ts`): parts per shipped SMS text, the share that goes UCS-2, and the
 *     SMS-preferring payment reminder's cost per 1,000 customers priced per part, before and after.
 * Prints a table and writes JSON and Markdown under `.local/bench/` (git-ignored).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { countryTables } from '#adapters/country-tables.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { type BehaviourSummary, NO_BEHAVIOUR } from '#core/behaviour.ts';
import type { SentMessage } from '#core/contact-pressure.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import { ToneSchema } from '#core/policy.ts';
import { renderMessage } from '#core/render.ts';
import { segmentOf } from '#core/segment.ts';
import { templateDataFor } from '#core/template-data.ts';
import { LOCAL_UNSUBSCRIBE_KEY, unsubscribeLinkFor } from '#core/unsubscribe-token.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { compileTemplates } from '#infra/content/compile-templates.ts';
import { subjects } from '#subjects/registry.ts';
import { coldStarts } from './cold-start.ts';
import { buildAndMeasureConsole, consoleBundleMarkdown } from './console-bundle.ts';
import { costMarkdown, costModel, loadPrices, priceUsage } from './cost-model.ts';
import { writeGeneratedSection } from './docs-section.ts';
import { seededRandom } from './random.ts';
import { smsMarkdown } from './sms.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    /** `npm run bench -- --decisions-only`: skip the bundle builds while tuning the core. */
    'decisions-only': { type: 'boolean', default: false },
    /** Fresh `node` processes per bundle and per baseline for the cold-start proxy; 0 = sizes only. */
    'cold-start-processes': { type: 'string', default: '11' },
    /** Where the JSON and Markdown reports go (default `.local/bench/`); the smoke test uses a temp dir. */
    out: { type: 'string' },
    /** Messages per render run (default 20,000); only `only` handlers' bundles (comma-separated). */
    renders: { type: 'string', default: '20000' },
    only: { type: 'string' },
    /** Customers per journey path for the cost model (0 skips it). */
    'cost-customers': { type: 'string', default: '20' },
    /** Generated customers per SMS text for the SMS section (0 skips it). */
    'sms-customers': { type: 'string', default: '200' },
    /** Also writes the "bench" (and "cost", "sms") sections of docs/performance.md from this run. */
    docs: { type: 'boolean', default: false },
  },
});
const customerCount = Number(args.customers);

const NOW = new Date('2026-12-01T07:00:00Z');
const HOUR = 3_600_000;

/** A generated customer with the history the handlers would read: behaviour and recent sends. */
interface BenchCase {
  customer: CustomerProfile;
  behaviour: BehaviourSummary;
  sent: SentMessage[];
}

function generateCases(count: number): BenchCase[] {
  const next = seededRandom(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const places = [
    { country: 'NL', locale: 'nl-NL', timezone: 'Europe/Amsterdam', region: 'NH' },
    { country: 'BE', locale: 'nl-BE', timezone: 'Europe/Brussels', region: 'VLG' },
    { country: 'DE', locale: 'de-DE', timezone: 'Europe/Berlin', region: 'BY' },
    { country: 'GB', locale: 'en-GB', timezone: 'Europe/London', region: 'SCT' },
    { country: 'US', locale: 'en-US', timezone: 'America/New_York', region: 'NY' },
  ] as const;
  return Array.from({ length: count }, (_, i) => {
    const place = pick(places);
    const year = 1940 + Math.floor(next() * 65);
    const customer: CustomerProfile = {
      id: `bench-${i}`,
      locale: place.locale,
      country: place.country,
      ...(next() < 0.5 ? { region: place.region } : {}),
      ...(next() < 0.9 ? { timezone: place.timezone } : {}),
      birthDate: `${year}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
      ...(next() < 0.95 ? { email: `customer${i}@example.com` } : {}),
      ...(next() < 0.7 ? { phone: `+316${String(10_000_000 + i).slice(-8)}` } : {}),
      ...(next() < 0.2 ? { preferences: { channel: pick(['email', 'sms'] as const) } } : {}),
      ...(next() < 0.1
        ? {
            consents: [
              {
                channel: 'sms' as const,
                purpose: 'service' as const,
                granted: false,
                at: '2026-01-01T00:00:00Z',
                source: 'portal',
              },
            ],
          }
        : {}),
      ...(next() < 0.1 ? { attributes: { segmentHint: 'business' } } : {}),
    };
    // A fifth read email (send-time optimisation has a history), a tenth pays late, a tenth had mail this week.
    const engagementTimes =
      next() < 0.2
        ? Array.from(
            { length: 3 + Math.floor(next() * 5) },
            () => NOW.getTime() - Math.floor(next() * 2000) * HOUR,
          )
        : [];
    const behaviour: BehaviourSummary = {
      ...NO_BEHAVIOUR,
      latePaymentsLastYear: next() < 0.1 ? 1 + Math.floor(next() * 3) : 0,
      engagementTimes,
      lastEmailEngagementAt: engagementTimes.length > 0 ? Math.max(...engagementTimes) : null,
    };
    const sent: SentMessage[] =
      next() < 0.1
        ? Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
            at: new Date(NOW.getTime() - Math.floor(next() * 160) * HOUR).toISOString(),
            channel: pick(['email', 'sms'] as const),
          }))
        : [];
    return { customer, behaviour, sent };
  });
}

function decisionsPerSecond(cases: BenchCase[]) {
  const policy = loadPolicy();
  const step: JourneyStep = {
    journeyId: 'payment-reminder',
    stepId: 'first-reminder',
    templateId: 'payment-reminder',
    purpose: 'service',
    channels: ['email', 'sms'],
  };
  const segments = new Map(policy.segments.map((s) => [s.id, s]));
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let planned = 0;
  for (let run = 0; run < 5; run++) {
    planned = 0;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (const { customer, behaviour, sent } of cases) {
      const segmentation = segmentOf({ customer, behaviour, policy, now: NOW });
      const segment = segments.get(segmentation.segmentId);
      if (!segment) throw new Error(`unknown segment ${segmentation.segmentId}`);
      const decision = decideStep({
        customer,
        segment,
        tone: segmentation.tone,
        step,
        policy,
        countries: countryTables,
        now: NOW,
        sent,
        engagement: behaviour.engagementTimes ?? [],
      });
      if (decision.sendAt) planned++;
    }
    runs.push(cases.length / ((performance.now() - started) / 1000));
    const cpu = process.cpuUsage(cpuStarted);
    cpuRuns.push(cases.length / ((cpu.user + cpu.system) / 1e6));
  }
  runs.sort((a, b) => a - b);
  cpuRuns.sort((a, b) => a - b);
  // Wall clock counts time the process waited for a busy machine; CPU time is this core's own work.
  return {
    median: Math.round(runs[2] ?? 0),
    perCpuSecond: Math.round(cpuRuns[2] ?? 0),
    plannedShare: planned / cases.length,
  };
}

/**
 * Renders per second on this one core (median of 5 runs): what the render step does per message
 * after reading the customer — build the template data, sign the unsubscribe link, render every
 * part. A different customer, invoice and locale each time, so nothing is cached between renders.
 */
function rendersPerSecond(channel: Channel, count: number) {
  const catalog = loadTemplateCatalog(defaultTemplatesDir());
  const locales = ['nl-NL', 'nl-BE', 'en-GB', 'en-US'];
  const tones = ToneSchema.options;
  const names = ['Sanne', 'Jan', 'Emma', 'Noor', 'Lucas', ''];
  const now = new Date('2026-12-01T09:00:00Z');
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let characters = 0;
  for (let run = 0; run < 5; run++) {
    characters = 0;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (let i = 0; i < count; i++) {
      const id = `INV-2026-${String(i).padStart(6, '0')}`;
      const unsubscribe = unsubscribeLinkFor({
        baseUrl: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/unsubscribe',
        key: LOCAL_UNSUBSCRIBE_KEY,
        customerId: `c-${i}`,
        channel,
        purpose: 'service',
        now,
      });
      const data = templateDataFor({
        customer: { name: { given: names[i % names.length] ?? '', family: 'de Vries' } },
        subject: subjects.templateSubjectOf({
          type: 'invoice',
          id,
          amount: `${10 + (i % 997)}.50`,
          currency: 'EUR',
          dueDate: '2026-12-01',
          payUrl: `https://pay.example.com/i/${id}`,
        }),
        links: { portal: 'https://portal.example.com', unsubscribe },
      });
      const { message } = renderMessage({
        catalog,
        templateId: 'payment-reminder',
        channel,
        locale: locales[i % locales.length] ?? 'nl-NL',
        tone: tones[i % tones.length] ?? 'friendly',
        data: { ...data },
        defaultLocale: 'nl',
        timezone: 'Europe/Amsterdam',
      });
      characters +=
        message.channel === 'email' ? message.html.length + message.text.length : message.text.length;
    }
    runs.push(count / ((performance.now() - started) / 1000));
    const cpu = process.cpuUsage(cpuStarted);
    cpuRuns.push(count / ((cpu.user + cpu.system) / 1e6));
  }
  runs.sort((a, b) => a - b);
  cpuRuns.sort((a, b) => a - b);
  return {
    median: Math.round(runs[2] ?? 0),
    perCpuSecond: Math.round(cpuRuns[2] ?? 0),
    averageCharacters: Math.round(characters / count),
  };
}

const sizes = args['decisions-only']
  ? []
  : await coldStarts({
      processes: Number(args['cold-start-processes']),
      ...(args.only ? { only: args.only.split(',') } : {}),
    });
const decisions = decisionsPerSecond(generateCases(customerCount));
const renderCount = Number(args.renders);
if (!args['decisions-only']) await compileTemplates();
const emailRenders = args['decisions-only'] ? undefined : rendersPerSecond('email', renderCount);
const smsRenders = args['decisions-only'] ? undefined : rendersPerSecond('sms', renderCount);

const consoleBundle = args['decisions-only'] ? undefined : buildAndMeasureConsole();

const costCustomers = Number(args['cost-customers']);
const usages = costCustomers > 0 ? await costModel(costCustomers) : [];
const prices = loadPrices();

const lines = [
  `# Klantreis benchmarks (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, command: npm run bench)`,
  '',
  `| Lambda bundle (stack's esbuild settings, SDK external) | minified KB (target ≤ 300) | init ms, median of ${args['cold-start-processes']} fresh processes | baseline ms (same SDK clients only) | init / baseline (target ≤ 1.5) |`,
  '|---|---:|---:|---:|---:|',
  ...sizes.map(
    (s) =>
      `| ${s.handler} | ${s.minifiedKb}${s.minifiedKb > 300 ? ' ✗' : ''} | ${s.initMs ?? '—'} | ${s.baselineMs ?? '—'} | ${s.ratio ?? '—'}${(s.ratio ?? 0) > 1.5 ? ' ✗' : ''} |`,
  ),
  '',
  `| Decision core (segment + channel + contact pressure + slot + locale), one core, ${customerCount.toLocaleString('en')} customers | median of 5 |`,
  '|---|---:|',
  `| decisions per second, wall clock (target ≥ 100,000) | ${decisions.median.toLocaleString('en')} |`,
  `| decisions per CPU second of this process | ${decisions.perCpuSecond.toLocaleString('en')} |`,
  `| load average while measuring (1 min, ${cpus().length} CPUs) | ${loadavg()[0]?.toFixed(2)} |`,
  `| customers with a planned send | ${(decisions.plannedShare * 100).toFixed(1)} % |`,
  ...(emailRenders && smsRenders
    ? [
        '',
        `| Rendering, one core, templates precompiled, ${renderCount.toLocaleString('en')} messages per run | median of 5 |`,
        '|---|---:|',
        `| personalised emails (subject + HTML + text, signed unsubscribe link) per second (target ≥ 20,000) | ${emailRenders.median.toLocaleString('en')} |`,
        `| personalised emails per CPU second of this process | ${emailRenders.perCpuSecond.toLocaleString('en')} |`,
        `| SMS per second | ${smsRenders.median.toLocaleString('en')} |`,
        `| SMS per CPU second of this process | ${smsRenders.perCpuSecond.toLocaleString('en')} |`,
        `| average size: email HTML + text / SMS (characters) | ${emailRenders.averageCharacters.toLocaleString('en')} / ${smsRenders.averageCharacters} |`,
      ]
    : []),
  ...(consoleBundle ? ['', consoleBundleMarkdown(consoleBundle)] : []),
];
const cost =
  usages.length > 0 ? costMarkdown(usages, prices, `npm run bench (--cost-customers ${costCustomers})`) : '';
const smsCustomers = Number(args['sms-customers']);
const sms =
  smsCustomers > 0
    ? smsMarkdown({
        customers: smsCustomers,
        prices,
        command: `npm run bench (--sms-customers ${smsCustomers})`,
      })
    : '';
const report = [...lines, ...(cost ? ['', cost] : []), ...(sms ? ['', sms] : [])].join('\n');
console.log(report);
const outDir = args.out ?? join(repoRoot, '.local', 'bench');
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'latest.md'), `${report}\n`);
await writeFile(
  join(outDir, 'latest.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, sizes, decisions, customerCount, renders: { email: emailRenders, sms: smsRenders, renderCount }, console: consoleBundle && { initial: consoleBundle.initial, initialGzipKb: consoleBundle.initialGzipKb, lazyGzipKb: consoleBundle.lazyGzipKb }, cost: { usages, priced: usages.map((u) => priceUsage(u, prices)), pricesAsOf: prices.asOf } }, null, 2)}\n`,
);
console.log(`\nwritten to ${join(outDir, 'latest.md')} and latest.json`);
if (args.docs) {
  // The page's heading names the section; this line says which run wrote it.
  const run = `Command: npm run bench; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} at the end.`;
  await writeGeneratedSection('bench', [run, '', ...lines.slice(2)].join('\n'));
  if (cost) await writeGeneratedSection('cost', cost);
  if (sms) await writeGeneratedSection('sms', sms);
}
