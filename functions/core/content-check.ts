/**
 * What every rendered message must satisfy before it may ship (validation in `npm test`, warnings in
 * the preview): links absolute https, an email with subject, HTML and text, no Liquid left over,
 * an SMS within its template's limit. Pure: the caller renders, this judges.
 */
import type { Channel } from './customer.ts';
import type { JourneyStep } from './journey-step.ts';
import type { Policy, TextVariant } from './policy.ts';
import type { RenderedMessage } from './render.ts';
import { describeCharacter, smsEncodingOf } from './sms-encoding.ts';
import { textVariantsOfStep, tonesSegmentationGives } from './tone-rule.ts';

/** One combination the decision core can pick for a journey step: it must have a template. */
export interface ContentCase {
  templateId: string;
  channel: Channel;
  locale: string;
  /** The text variant: a tone, or a named variant an experiment's arm picks. */
  tone: TextVariant;
  /** The steps (`journeyId/stepId`) that can pick it. */
  steps: string[];
}

/**
 * Returns every template × channel × locale × variant the steps can pick: each channel the step allows
 * (the customer's preference or the segment decides which), each locale the policy serves and each
 * locale folder the template has (a customer of that region gets it), and each text variant the tone
 * rule (`tone-rule.ts`) says the step can pick.
 */
export function contentCasesOf(
  steps: ReadonlyArray<JourneyStep & { armVariants?: readonly TextVariant[] }>,
  policy: Pick<Policy, 'segments'> & { defaults: Pick<Policy['defaults'], 'locales'> },
  templateLocales: (templateId: string) => readonly string[] = () => [],
): ContentCase[] {
  const segmentationTones = tonesSegmentationGives(policy);
  const cases = new Map<string, ContentCase>();
  for (const step of steps) {
    const locales = [...new Set([...policy.defaults.locales, ...templateLocales(step.templateId)])];
    for (const channel of step.channels) {
      for (const locale of locales) {
        for (const tone of textVariantsOfStep(step, segmentationTones)) {
          const key = `${step.templateId}|${channel}|${locale}|${tone}`;
          const known = cases.get(key) ?? { templateId: step.templateId, channel, locale, tone, steps: [] };
          known.steps.push(`${step.journeyId}/${step.stepId}`);
          cases.set(key, known);
        }
      }
    }
  }
  return [...cases.values()];
}

/** Returns a case's name for a failure message: template, channel, locale and variant. */
export function caseName(c: Omit<ContentCase, 'steps'> & { steps?: string[] }): string {
  const steps = c.steps?.length ? ` (step ${c.steps.join(', ')})` : '';
  return `template ${c.templateId}, channel ${c.channel}, locale ${c.locale}, variant ${c.tone}${steps}`;
}

/** Returns every link in the message: `href`/`src` attributes of the HTML, URLs in the text parts. */
export function linksOf(message: RenderedMessage): string[] {
  const links: string[] = [];
  const texts =
    message.channel === 'sms' || message.channel === 'phone'
      ? [message.text]
      : [message.subject, message.text];
  for (const text of texts) {
    for (const match of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"')]+|\bwww\.[^\s<>"')]+/gi)) {
      links.push(match[0].replace(/[.,;:!?]+$/, ''));
    }
  }
  if (message.channel === 'email') {
    for (const match of message.html.matchAll(/\s(?:href|src|action)\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
      links.push((match[2] ?? match[3] ?? '').replaceAll('&amp;', '&'));
    }
  }
  return links;
}

function linkProblem(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return `link "${link}" is not absolute`;
  }
  return url.protocol === 'https:' ? null : `link "${link}" is not https`;
}

export interface MessageCheck {
  /** Reasons the message may not ship. */
  problems: string[];
  /** Worth a look, not blocking: e.g. characters that make an SMS UCS-2. */
  warnings: string[];
}

/** Returns what is wrong with a rendered message, and what is worth a warning. */
export function checkMessage(message: RenderedMessage, limits: { smsMaxSegments: number }): MessageCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const link of linksOf(message)) {
    const problem = linkProblem(link);
    if (problem) problems.push(problem);
  }
  const parts =
    message.channel === 'email'
      ? { subject: message.subject, html: message.html, text: message.text }
      : message.channel === 'letter'
        ? { subject: message.subject, text: message.text }
        : message.channel === 'phone'
          ? { call: message.text }
          : { sms: message.text };
  for (const [part, text] of Object.entries(parts)) {
    if (text.trim() === '') problems.push(`${part} is empty`);
    if (/{{|}}|{%|%}/.test(text)) problems.push(`${part} contains Liquid that was not rendered`);
  }
  if (message.channel === 'email') {
    if (/\n/.test(message.subject)) problems.push('subject has more than one line');
    if (!/<html[\s>]/i.test(message.html) || !/<body[\s>]/i.test(message.html)) {
      problems.push('html is not a complete HTML document');
    }
  } else if (message.channel === 'sms') {
    const sms = smsEncodingOf(message.text);
    if (sms.segments > limits.smsMaxSegments) {
      problems.push(
        `sms takes ${sms.segments} ${sms.encoding} parts (${sms.length} of ${sms.perSegment} per part), more than the template's limit of ${limits.smsMaxSegments}`,
      );
    }
    if (sms.encoding === 'UCS-2') {
      warnings.push(
        `sms is UCS-2 (70 characters per part instead of 160) because of ${sms.ucs2Characters.map(describeCharacter).join(', ')}`,
      );
    }
  }
  return { problems, warnings };
}
