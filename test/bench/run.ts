/**
 * `npm run bench`: the figures Klantreis is judged on, measured on this machine.
 *  1. minified bundle size of every Lambda, built the way the CDK stack builds it;
 *  2. decisions per second of the pure core (segment + channel + slot) over generated customers.
 * Prints a table and writes JSON and Markdown under `.local/bench/` (git-ignored).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { loadPolicy } from '#adapters/policy-file.ts';
import { NO_BEHAVIOUR } from '#core/behaviour.ts';
import { pickChannel } from '#core/channel.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import { segmentOf } from '#core/segment.ts';
import { pickSlot } from '#core/slot.ts';
import { handlers } from '#infra/catalog.ts';
import { LAMBDA_BUNDLE } from '#infra/constructs/node-function.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const { values: args } = parseArgs({ options: { customers: { type: 'string', default: '100000' } } });
const customerCount = Number(args.customers);

async function bundleSizes() {
  const rows: Array<{ handler: string; minifiedKb: number }> = [];
  for (const { id } of handlers) {
    const result = await build({
      entryPoints: [join(repoRoot, 'functions/handlers', `${id}.ts`)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      external: [...LAMBDA_BUNDLE.externalModules],
      banner: { js: LAMBDA_BUNDLE.banner },
      logLevel: 'silent',
    });
    const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
    rows.push({ handler: id, minifiedKb: Math.round(bytes / 102.4) / 10 });
  }
  return rows;
}

/** A deterministic generator (mulberry32), so every run decides for the same customers. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateCustomers(count: number): CustomerProfile[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const places = [
    { country: 'NL', locale: 'nl-NL', timezone: 'Europe/Amsterdam' },
    { country: 'BE', locale: 'nl-BE', timezone: 'Europe/Brussels' },
    { country: 'DE', locale: 'de-DE', timezone: 'Europe/Berlin' },
    { country: 'GB', locale: 'en-GB', timezone: 'Europe/London' },
    { country: 'US', locale: 'en-US', timezone: 'America/New_York' },
  ] as const;
  return Array.from({ length: count }, (_, i) => {
    const place = pick(places);
    const year = 1940 + Math.floor(next() * 65);
    return {
      id: `bench-${i}`,
      locale: place.locale,
      country: place.country,
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
  });
}

function decisionsPerSecond(customers: CustomerProfile[]) {
  const policy = loadPolicy();
  const step: JourneyStep = {
    journeyId: 'payment-reminder',
    stepId: 'first-reminder',
    templateId: 'payment-reminder',
    purpose: 'service',
    channels: ['email', 'sms'],
  };
  const now = new Date('2026-12-01T07:00:00Z');
  const runs: number[] = [];
  let reachable = 0;
  for (let run = 0; run < 5; run++) {
    reachable = 0;
    const started = performance.now();
    for (const customer of customers) {
      const decision = segmentOf({ customer, behaviour: NO_BEHAVIOUR, policy, now });
      const segment = policy.segments.find((s) => s.id === decision.segmentId);
      if (!segment) throw new Error(`unknown segment ${decision.segmentId}`);
      const channel = pickChannel({ customer, segment, step, policy });
      if (channel.channel) {
        pickSlot({ customer, segment, step, policy, now });
        reachable++;
      }
    }
    runs.push(customers.length / ((performance.now() - started) / 1000));
  }
  runs.sort((a, b) => a - b);
  return { median: Math.round(runs[2] ?? 0), reachableShare: reachable / customers.length };
}

const sizes = await bundleSizes();
const customers = generateCustomers(customerCount);
const decisions = decisionsPerSecond(customers);

const lines = [
  `# Klantreis benchmarks (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, command: npm run bench)`,
  '',
  '| Lambda bundle | minified KB (target ≤ 300) |',
  '|---|---:|',
  ...sizes.map((s) => `| ${s.handler} | ${s.minifiedKb} |`),
  '',
  `| Decision core (segment + channel + slot), one core, ${customerCount.toLocaleString('en')} customers | median of 5 |`,
  '|---|---:|',
  `| decisions per second (target ≥ 100,000) | ${decisions.median.toLocaleString('en')} |`,
  `| customers with a reachable channel | ${(decisions.reachableShare * 100).toFixed(1)} % |`,
];
const report = lines.join('\n');
console.log(report);
const outDir = join(repoRoot, '.local', 'bench');
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'latest.md'), `${report}\n`);
await writeFile(
  join(outDir, 'latest.json'),
  `${JSON.stringify({ sizes, decisions, customerCount }, null, 2)}\n`,
);
console.log(`\nwritten to ${join(outDir, 'latest.md')} and latest.json`);
