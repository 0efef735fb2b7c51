/**
 * The starter templates `klantreis new journey` writes for each step (`templates/<journey>-<step>/`):
 * every locale of the policy (`defaults.locales`: nl, en) and both tones (friendly, firm), email and SMS, valid and
 * rendering with the subject's sample. The words live in the locale's blocks (`<locale>/blocks/`), so
 * a step's text is written in a handful of small files; a tone's own block of the same name beats them.
 */
import { jsonText } from '../journeys/json-text.ts';

/** What the starter texts may name of the subject: its type, a link and a date the templates can see. */
export interface StarterSubject {
  type: string;
  /** A link of the subject (`renew`): the email's button and the SMS link. Absent: the portal. */
  link?: string;
  /** A date field the templates see (`endDate`), shown in the starter text. */
  date?: string;
}

export interface StarterStep {
  journeyId: string;
  stepId: string;
  /** What the message is, for `template.json`'s description and the starter text (`first message`). */
  role: 'first' | 'reminder';
}

type Locale = 'nl' | 'en';
const TONES = ['friendly', 'firm'] as const;

const WORDS = {
  nl: {
    dear: 'Beste',
    customer: 'klant',
    yours: 'Uw',
    on: 'per',
    open: 'Bekijken',
    next: 'Wat gebeurt er nu?',
    help: 'Vragen?',
    contact: 'Neem contact op via',
    portalLink: 'uw klantportaal',
    regards: 'Met vriendelijke groet,',
    team: 'De klantenservice',
    preferences: 'Berichtvoorkeuren',
    unsubscribe: 'Afmelden voor e-mail',
    stopSms: 'Stop sms',
    first: 'Wij laten u graag iets weten over',
    reminder: 'Een herinnering over',
    nextFirst: 'Wij sturen u een herinnering als dat nodig is.',
    nextReminder: 'Al geregeld? Dan kunt u dit bericht negeren.',
    footer: 'Dit is een servicebericht.',
  },
  en: {
    dear: 'Dear',
    customer: 'customer',
    yours: 'Your',
    on: 'on',
    open: 'View',
    next: 'What happens next?',
    help: 'Questions?',
    contact: 'Contact us through',
    portalLink: 'your customer portal',
    regards: 'Kind regards,',
    team: 'Customer service',
    preferences: 'Message preferences',
    unsubscribe: 'Unsubscribe from email',
    stopSms: 'Stop SMS',
    first: 'We would like to tell you about',
    reminder: 'A reminder about',
    nextFirst: 'We will send you a reminder if needed.',
    nextReminder: 'Already done? Then you can ignore this message.',
    footer: 'This is a service message.',
  },
} as const;

/** Returns the starter template's files, by path under `templates/`. */
export function starterTemplateFiles(
  step: StarterStep,
  subject: StarterSubject,
  sample: { customer: { given: string; family: string }; subject: unknown },
  /** The policy's locales (`defaults.locales`): every one needs the texts. Other than nl: English words. */
  locales: readonly string[],
): Record<string, string> {
  const templateId = `${step.journeyId}-${step.stepId}`;
  const link = subject.link ? `links.${subject.link}` : 'links.portal';
  const files: Record<string, string> = {
    [`${templateId}/template.json`]: jsonText({
      description: `${step.journeyId}: the ${step.role === 'first' ? 'first message' : 'reminder'} (step ${step.stepId}).`,
      smsMaxSegments: 3,
      sample,
    }),
  };
  for (const locale of locales) {
    const w = WORDS[locale as Locale] ?? WORDS.en;
    const about = `${w.yours.toLowerCase()} ${subject.type} {{ ${subject.type}.id }}`;
    const when = subject.date ? ` ${w.on} {{ ${subject.type}.${subject.date} | date }}` : '';
    const blocks = {
      greeting: `{% if customer.givenName %}${w.dear} {{ customer.givenName }},{% else %}${w.dear} ${w.customer},{% endif %}`,
      subject: `${step.role === 'first' ? w.first : w.reminder} ${about}`,
      main: `${step.role === 'first' ? w.first : w.reminder} ${about}${when}.`,
      'next-step': step.role === 'first' ? w.nextFirst : w.nextReminder,
      help: w.help,
      footer: w.footer,
    };
    for (const [name, text] of Object.entries(blocks)) {
      files[`${templateId}/${locale}/blocks/${name}.liquid`] = `${text}\n`;
    }
    for (const tone of TONES) {
      const dir = `${templateId}/${locale}/${tone}`;
      files[`${dir}/email.subject.liquid`] = '{{ blocks.subject }}\n';
      files[`${dir}/email.mjml`] = emailMjml(w, link);
      files[`${dir}/email.text.liquid`] = emailText(w, link);
      files[`${dir}/sms.liquid`] =
        `{{ blocks.main }} {{ ${link} }}\n{{ blocks.next-step }}\n${w.stopSms}: {{ links.unsubscribe }}\n`;
    }
  }
  return files;
}

type Words = (typeof WORDS)[Locale];

function emailText(w: Words, link: string): string {
  return `{{ blocks.greeting }}

{{ blocks.main }}

${w.open}:
{{ ${link} }}

${w.next} {{ blocks.next-step }}

{{ blocks.help }} ${w.contact} ${w.portalLink}: {{ links.portal }}

${w.regards}
${w.team}

--
{{ blocks.footer }}
${w.preferences}: {{ links.portal }}
${w.unsubscribe}: {{ links.unsubscribe }}
`;
}

function emailMjml(w: Words, link: string): string {
  return `<mjml lang="{{ locale }}">
  <mj-head>
    <mj-title>{{ subject }}</mj-title>
    <mj-preview>{{ blocks.main }}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Arial, Helvetica, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="#222222" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section background-color="#ffffff" padding="24px 8px">
      <mj-column>
        <mj-text>{{ blocks.greeting }}</mj-text>
        <mj-text>{{ blocks.main }}</mj-text>
        <mj-button href="{{ ${link} }}" background-color="#0b5cab" color="#ffffff" font-size="16px" border-radius="4px">${w.open}</mj-button>
        <mj-text><strong>${w.next}</strong> {{ blocks.next-step }}</mj-text>
        <mj-text>{{ blocks.help }} ${w.contact} <a href="{{ links.portal }}">${w.portalLink}</a>.</mj-text>
        <mj-text>${w.regards}<br />${w.team}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="12px 8px">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color="#555555">{{ blocks.footer }} <a href="{{ links.portal }}">${w.preferences}</a> · <a href="{{ links.unsubscribe }}">${w.unsubscribe}</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;
}
