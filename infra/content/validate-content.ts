/**
 * Content validation: for every journey step in every ASL file, every channel × locale × variant the
 * decision core can pick (the tone rule, `#core/tone-rule.ts`) must have its own template (no
 * fallback), render with the step's sample data, pass `checkMessage`, and read without a gap for a
 * customer without a name. Run by `npm test` (test/content); each failure names template,
 * channel, locale and variant.
 */
import { type ContentCase, caseName, checkMessage, contentCasesOf } from '#core/content-check.ts';
import type { Policy } from '#core/policy.ts';
import { smsLimitOf, type TemplateCatalog } from '#core/render.ts';
import type { JourneyStepInFile } from './journey-steps.ts';
import { renderSample } from './samples.ts';

const CHANNEL_FILES = { email: 'email.mjml (+ subject and text)', sms: 'sms.liquid' } as const;

export interface ContentFailure {
  case: ContentCase;
  problem: string;
  /** `template …, channel …, locale …, variant …: problem`. */
  message: string;
}

/** Returns every failure of the content the journeys can pick; empty when all of it may ship. */
export function validateContent(input: {
  catalog: TemplateCatalog;
  policy: Policy;
  steps: readonly JourneyStepInFile[];
}): { cases: ContentCase[]; failures: ContentFailure[] } {
  const { catalog, policy } = input;
  const cases = contentCasesOf(
    input.steps.map((s) => s.step),
    policy,
    (templateId) => Object.keys(catalog.templates[templateId] ?? {}),
  );
  const failures: ContentFailure[] = [];
  const fail = (c: ContentCase, problem: string) =>
    failures.push({ case: c, problem, message: `${caseName(c)}: ${problem}` });

  for (const c of cases) {
    const variant = catalog.templates[c.templateId]?.[c.locale]?.[c.tone];
    if (!catalog.templates[c.templateId]) {
      fail(c, `missing: no folder templates/${c.templateId}/`);
      continue;
    }
    if (!variant?.[c.channel]) {
      fail(c, `missing: templates/${c.templateId}/${c.locale}/${c.tone}/${CHANNEL_FILES[c.channel]}`);
      continue;
    }
    let rendered: ReturnType<typeof renderSample>;
    try {
      rendered = renderSample(catalog, c, policy.defaults.locale);
    } catch (error) {
      fail(c, `does not render with the sample data: ${(error as Error).message}`);
      continue;
    }
    const limits = { smsMaxSegments: smsLimitOf(catalog, c.templateId) };
    for (const problem of checkMessage(rendered.message, limits).problems) fail(c, problem);
    for (const problem of namelessProblems(catalog, c, policy.defaults.locale)) fail(c, problem);
  }
  return { cases, failures };
}

/** A space before punctuation or two in a row: where an empty name was left out ("Beste ,"). */
const NAME_GAP = / [,.;:!?]|\S {2,}\S/;

/**
 * Returns what is wrong with the case rendered for a customer without a name (the profile's names are
 * optional): it must render, and read without a gap where the name would go.
 */
function namelessProblems(catalog: TemplateCatalog, c: ContentCase, defaultLocale: string): string[] {
  const info = catalog.info?.[c.templateId];
  if (!info) return [];
  const nameless = {
    ...catalog,
    info: { ...catalog.info, [c.templateId]: { ...info, sample: { ...info.sample, customer: {} } } },
  };
  let message: ReturnType<typeof renderSample>['message'];
  try {
    message = renderSample(nameless, c, defaultLocale).message;
  } catch (error) {
    return [`does not render for a customer without a name: ${(error as Error).message}`];
  }
  const texts = message.channel === 'email' ? [message.subject, message.text] : [message.text];
  return texts
    .flatMap((text) => text.split('\n'))
    .filter((line) => NAME_GAP.test(line))
    .map((line) => `for a customer without a name, "${line.trim()}" has a gap where the name would go`);
}
