/**
 * The SMS benchmark: how many parts the shipped SMS texts take, how many go UCS-2, and what the
 * payment reminder's SMS-preferring path costs per 1,000 customers, priced per part, before and after
 * the SMS length work. Pure computation (renders and plans, no runtime), so it runs in seconds.
 *
 * - after: what the journey step sends today: the text rendered with short links of the real length
 *   (`placeholderShortLinks` on a short-link base as long as a stage's should be), smart-encoded with the
 *   policy's letters, and the template's short text when the full one is over its limit (an SMS over
 *   the limit even then is not sent: it counts as "not sent", the step takes another channel);
 * - before: the texts as the baseline was measured with (the shipped ones, or their earlier wording in
 *   `sms-baseline-texts.ts` where they have been rewritten since) rendered with the full links (the
 *   signed unsubscribe link, the subject's own URLs), counted as written (no smart encoding: a
 *   typographic apostrophe or an emoji makes the text UCS-2), always the normal text, and sent
 *   whatever its length.
 * Both are counted over each template's sample data and generated customers (long names, typographic
 * apostrophes, emoji, ë, other letters outside GSM-7), in Dutch and English.
 *
 * `npm run bench:sms -- [--customers 200] [--docs]`; `npm run bench` includes it.
 */
import { parseArgs } from 'node:util';
import { countryTables } from '#adapters/country-tables.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import type { AslDefinition } from '#application/asl.ts';
import { journeyDefinitions } from '#application/journey-definitions.ts';
import { planJourney } from '#application/journey-plan.ts';
import { smsLengthFor } from '#application/sms-length.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import { compileLiquid } from '#core/liquid/compile.ts';
import { type Policy, smsLettersFor, type TextVariant } from '#core/policy.ts';
import { KLANTREIS_FILTERS, renderMessage, smsLimitOf, type TemplateCatalog } from '#core/render.ts';
import { PREVIEW_LINK_BASE, placeholderShortLinks } from '#core/short-link.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { smsLengthOutcome } from '#core/sms-limit.ts';
import { optOutText } from '#core/sms-opt-out.ts';
import { displayTimezoneOf, templateDataFor } from '#core/template-data.ts';
import { LOCAL_UNSUBSCRIBE_KEY, unsubscribeLinkFor } from '#core/unsubscribe-token.ts';
import { subjects } from '#subjects/registry.ts';
import type { PriceTable } from './cost-model.ts';
import { BASELINE_SMS_TEXTS } from './sms-baseline-texts.ts';

/** Names that make an SMS longer or UCS-2: long ones, typographic apostrophes, emoji, ë and other letters. */
const NAMES: ReadonlyArray<{ given: string; family: string }> = [
  { given: 'Sanne', family: 'de Vries' },
  { given: 'Jan', family: 'Jansen' },
  { given: 'Maria-Magdalena Wilhelmina', family: 'van Oldenbarnevelt-Rijckevorsel' },
  { given: 'D’Angelo', family: 'O’Brien' },
  { given: 'Zoë', family: 'Noël' },
  { given: 'Sanne 🌷', family: 'de Vries' },
  { given: 'Anaïs', family: 'Müller' },
  { given: 'Łukasz', family: 'Wiśniewski' },
  { given: '', family: '' },
];
/** The places an SMS is written for: Dutch in the Netherlands, English in the United States. */
const PLACES = [
  { language: 'nl', locale: 'nl-NL', country: 'NL', timezone: 'Europe/Amsterdam', phone: '+31612345678' },
  { language: 'en', locale: 'en-US', country: 'US', timezone: 'America/New_York', phone: '+12015550123' },
] as const;
/** A stage's API address, as long as API Gateway's: what the signed unsubscribe link is under before. */
const API_BASE = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const NOW = new Date('2026-12-01T09:00:00Z');

/** One SMS counted both ways. */
interface Counted {
  templateId: string;
  language: string;
  before: { parts: number; ucs2: boolean };
  /** Null: over the limit even in its short form, so not sent as SMS. */
  after: { parts: number; ucs2: boolean; short: boolean } | null;
}

type Place = (typeof PLACES)[number];

function customerOf(place: Place, i: number): CustomerProfile {
  const name = NAMES[i % NAMES.length] ?? { given: '', family: '' };
  return {
    id: `c-sms-${place.country}-${i}`,
    locale: place.locale,
    country: place.country,
    timezone: place.timezone,
    phone: place.phone,
    email: `c${i}@example.com`,
    birthDate: '1980-06-15',
    name,
  };
}

/** The subject of the sample, with its amount varied per customer where it has one. */
function subjectOf(sample: JourneySubject, i: number): JourneySubject {
  const subject = { ...sample } as JourneySubject & { amount?: string };
  if (typeof subject.amount === 'string') subject.amount = `${[12, 125, 1_250, 12_500][i % 4]}.${i % 100}`;
  return subject;
}

/**
 * Returns the SMS as the step rendered it before: full links, the normal text, no smart encoding (the
 * Liquid of the blocks and the SMS rendered as written, accents composed).
 */
function renderBefore(
  catalog: TemplateCatalog,
  templateId: string,
  language: string,
  tone: TextVariant,
  data: Record<string, unknown>,
  globals: Record<string, unknown>,
): string | null {
  const variant = catalog.templates[templateId]?.[language]?.[tone];
  if (!variant?.sms) return null;
  const compile = (source: string) => compileLiquid(source, { escape: false, filters: KLANTREIS_FILTERS });
  // The opt-out as the link form writes it, with the full unsubscribe link.
  const links = (data.links ?? {}) as Record<string, string>;
  const optOut = optOutText('link', language, links.unsubscribe ?? '');
  const blocks = Object.fromEntries(
    Object.entries(variant.blocks ?? {}).map(([name, source]) => [
      name,
      compile(source)({ ...data, optOut }, globals).trim(),
    ]),
  );
  const text = BASELINE_SMS_TEXTS[`${templateId}/${language}/${tone}`] ?? variant.sms.text;
  return compile(text)({ ...data, blocks, optOut }, globals)
    .trim()
    .normalize('NFC');
}

/** Counts one template's SMS for one customer, before and after. */
function countOne(
  catalog: TemplateCatalog,
  policy: Policy,
  templateId: string,
  tone: TextVariant,
  place: Place,
  customer: CustomerProfile,
  subject: JourneySubject,
): Counted | null {
  const unsubscribe = unsubscribeLinkFor({
    baseUrl: `${API_BASE}/unsubscribe`,
    key: LOCAL_UNSUBSCRIBE_KEY,
    customerId: customer.id,
    channel: 'sms',
    purpose: 'service',
    now: NOW,
  });
  const data = templateDataFor({
    customer,
    subject: subjects.templateSubjectOf(subject),
    links: { portal: 'https://portal.example.com', unsubscribe },
  });
  const timezone = displayTimezoneOf(customer, policy);
  const raw = renderBefore(
    catalog,
    templateId,
    place.language,
    tone,
    { ...data },
    { locale: place.locale, timezone },
  );
  if (raw === null) return null;
  const before = smsEncodingOf(raw);
  const length = smsLengthFor(
    { catalog, policy, smsLinkBase: PREVIEW_LINK_BASE },
    {
      customer,
      step: { templateId, channels: ['sms'] },
      tone,
      locale: place.locale,
      subject,
      isMobileNumber: countryTables.isMobileNumber,
    },
  );
  if (!length) return null;
  const outcome = smsLengthOutcome(length, null);
  let after: Counted['after'] = null;
  if (outcome.kind === 'send') {
    const { message } = renderMessage({
      catalog,
      templateId,
      channel: 'sms',
      locale: place.locale,
      tone,
      data: { ...data, links: placeholderShortLinks(data.links, PREVIEW_LINK_BASE) },
      defaultLocale: policy.defaults.locale,
      timezone,
      smsLetters: smsLettersFor(policy, customer.country),
      smsForm: outcome.form,
    });
    if (message.channel === 'sms') {
      after = {
        parts: message.segments,
        ucs2: message.encoding === 'UCS-2',
        short: outcome.form === 'short',
      };
    }
  }
  return {
    templateId,
    language: place.language,
    before: { parts: before.segments, ucs2: before.encoding === 'UCS-2' },
    after,
  };
}

/** Every shipped SMS text (template × nl/en × variant) counted for its sample and the generated customers. */
export function countShippedSms(catalog: TemplateCatalog, policy: Policy, customers: number): Counted[] {
  const counted: Counted[] = [];
  for (const [templateId, locales] of Object.entries(catalog.templates)) {
    const sample = catalog.info?.[templateId]?.sample;
    if (!sample) continue;
    for (const place of PLACES) {
      for (const tone of Object.keys(locales[place.language] ?? {})) {
        const sampleCustomer = { ...customerOf(place, 0), name: sample.customer };
        const people = [sampleCustomer, ...Array.from({ length: customers }, (_, i) => customerOf(place, i))];
        for (const [i, customer] of people.entries()) {
          const one = countOne(
            catalog,
            policy,
            templateId,
            tone,
            place,
            customer,
            subjectOf(sample.subject, i),
          );
          if (one) counted.push(one);
        }
      }
    }
  }
  return counted;
}

/** The SMS-preferring payment reminder's cost per 1,000 customers in a country, priced per part. */
export function smsPathCost(
  catalog: TemplateCatalog,
  policy: Policy,
  place: Place,
  customers: number,
  pricePerPart: number,
): { before: number; after: number; smsBefore: number; smsAfter: number } {
  const definition = journeyDefinitions['payment-reminder'] as AslDefinition;
  let before = 0;
  let after = 0;
  let smsBefore = 0;
  let smsAfter = 0;
  const sample = catalog.info?.['payment-reminder']?.sample.subject as JourneySubject;
  for (let i = 0; i < customers; i++) {
    const customer = { ...customerOf(place, i), preferences: { channel: 'sms' as const } };
    const subject = { ...subjectOf(sample, i), id: `INV-${i}`, dueDate: '2026-11-25' } as JourneySubject;
    const plans = {
      before: planJourney({ journeyId: 'payment-reminder', definition, customer, policy, at: NOW, subject }),
      after: planJourney({
        journeyId: 'payment-reminder',
        definition,
        customer,
        policy,
        at: NOW,
        subject,
        content: { catalog, smsLinkBase: PREVIEW_LINK_BASE },
      }),
    };
    for (const planned of plans.before.steps) {
      const d = planned.decision;
      if (d.channel !== 'sms' || d.skipped) continue;
      const one = countOne(catalog, policy, d.template, d.variant, place, customer, subject);
      before += one?.before.parts ?? 0;
      smsBefore += 1;
    }
    for (const planned of plans.after.steps) {
      const d = planned.decision;
      if (d.channel !== 'sms' || d.skipped) continue;
      const one = countOne(catalog, policy, d.template, d.variant, place, customer, subject);
      after += one?.after?.parts ?? 0;
      smsAfter += 1;
    }
  }
  const per1000 = (parts: number) => (parts / customers) * 1000 * pricePerPart;
  return {
    before: per1000(before),
    after: per1000(after),
    smsBefore: smsBefore / customers,
    smsAfter: smsAfter / customers,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};
const spread = (values: number[]) =>
  values.length === 0 ? '—' : `${Math.min(...values)} / ${median(values)} / ${Math.max(...values)}`;
const percent = (part: number, whole: number) => `${whole === 0 ? 0 : ((part / whole) * 100).toFixed(1)} %`;
const usd = (value: number) => value.toFixed(2);

/** A template's SMS part limits as the table shows them: one number, or one per text variant. */
function limitsOf(catalog: TemplateCatalog, templateId: string): string {
  const limits = catalog.info?.[templateId]?.smsMaxSegments;
  if (limits === undefined || typeof limits === 'number') return String(smsLimitOf(catalog, templateId));
  return Object.entries(limits)
    .map(([variant, parts]) => `${variant} ${parts}`)
    .join(', ');
}

/** Returns the SMS section's tables (Markdown). */
export function smsMarkdown(options: { customers: number; prices: PriceTable; command: string }): string {
  const catalog = loadTemplateCatalog(defaultTemplatesDir());
  const policy = loadPolicy();
  const counted = countShippedSms(catalog, policy, options.customers);
  const rows = [...new Set(counted.map((c) => c.templateId))].sort().flatMap((templateId) =>
    PLACES.map((place) => {
      const own = counted.filter((c) => c.templateId === templateId && c.language === place.language);
      const sent = own.flatMap((c) => (c.after ? [c.after] : []));
      return `| ${templateId} (${place.language}) | ${limitsOf(catalog, templateId)} | ${spread(own.map((c) => c.before.parts))} | ${spread(sent.map((a) => a.parts))} | ${percent(sent.filter((a) => a.short).length, own.length)} | ${percent(own.length - sent.length, own.length)} |`;
    }),
  );
  const sent = counted.flatMap((c) => (c.after ? [c.after] : []));
  const price = (name: string) => options.prices.prices[name]?.usd ?? 0;
  const costs = PLACES.map((place) => {
    const cost = smsPathCost(
      catalog,
      policy,
      place,
      options.customers,
      price(`smsPerMessage${place.country}`),
    );
    return `| ${place.country} (${place.language}) | ${cost.smsBefore.toFixed(2)} / ${cost.smsAfter.toFixed(2)} | ${usd(cost.before)} | ${usd(cost.after)} | ${percent(cost.before - cost.after, cost.before)} |`;
  });
  return [
    `Command: ${options.command}; ${counted.length.toLocaleString('en')} SMS counted (every shipped SMS text in nl and en, each variant, for its template's sample and ${options.customers} generated customers: long names, typographic apostrophes, emoji, ë and other letters outside GSM-7).`,
    '',
    "_Before_: the texts the baseline was measured with (the shipped ones, or their earlier wording where they have been rewritten since: `test/bench/sms-baseline-texts.ts`) rendered with the full links (the signed unsubscribe link under an API Gateway address, the subject's own URLs), counted as rendered (no smart encoding), always the normal text, sent whatever its length. _After_: what the step sends: short links of the real length (a short-link base of 20 characters), smart encoding with the policy's letters, the short text over the limit, and no SMS over the limit at all (another channel, or none).",
    '',
    '| SMS text | limit | parts before (min / median / max) | parts after (min / median / max) | short text used | over the limit: not sent as SMS |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '| all shipped SMS texts | before | after |',
    '|---|---:|---:|',
    `| share that goes UCS-2 (70 characters a part) | ${percent(counted.filter((c) => c.before.ucs2).length, counted.length)} | ${percent(sent.filter((a) => a.ucs2).length, sent.length)} |`,
    `| parts per SMS (median / max) | ${median(counted.map((c) => c.before.parts))} / ${Math.max(...counted.map((c) => c.before.parts))} | ${median(sent.map((a) => a.parts))} / ${Math.max(0, ...sent.map((a) => a.parts))} |`,
    '',
    `| payment reminder, SMS preferred (the simulator's plan per customer, ${options.customers} customers) | SMS per customer, before / after | USD per 1,000 customers before | after | saved |`,
    '|---|---:|---:|---:|---:|',
    ...costs,
  ].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { customers: { type: 'string', default: '200' }, docs: { type: 'boolean', default: false } },
  });
  const { loadPrices } = await import('./cost-model.ts');
  const section = smsMarkdown({
    customers: Number(values.customers),
    prices: loadPrices(),
    command: `npm run bench:sms -- --customers ${values.customers}`,
  });
  console.log(section);
  if (values.docs) {
    const { writeGeneratedSection } = await import('./docs-section.ts');
    await writeGeneratedSection('sms', section);
  }
}
