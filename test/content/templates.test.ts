import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import {
  LONG_VALUES,
  longSampleOf,
  renderSample,
  SAMPLE_LINKS,
  sampleDataFor,
} from '#application/templates/samples.ts';
import { type Tone, ToneSchema } from '#core/policy.ts';
import { type RenderedMessage, smsLimitOf, templateChannelOf } from '#core/render.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { requiredTextVariants } from '#core/tone-rule.ts';
import { journeyStepsOf } from '#infra/content/journey-steps.ts';

const catalog = loadTemplateCatalog(defaultTemplatesDir());
const variants = Object.entries(catalog.templates).flatMap(([templateId, locales]) =>
  Object.entries(locales).flatMap(([locale, tones]) =>
    ToneSchema.options.filter((tone) => tones[tone]).map((tone) => ({ templateId, locale, tone })),
  ),
);
const aboutAnInvoice = (v: { templateId: string }) =>
  catalog.info?.[v.templateId]?.sample.subject.type === 'invoice';
/** About an invoice, with an SMS: the amount due, the pay link and the deadline. */
const paymentVariants = variants.filter(
  (v) => aboutAnInvoice(v) && catalog.templates[v.templateId]?.[v.locale]?.[v.tone]?.sms,
);
/** The fourteen-day notice (email, and no SMS: the law wants a letter or an agreed electronic message). */
const noticeVariants = variants.filter((v) => v.templateId === 'payment-collection-notice');
/** About another subject: no amount, their own subject and link. */
const otherVariants = variants.filter((v) => !aboutAnInvoice(v));
/** The payment reminder rendered from its sample data for a customer in `locale`; the policy's default is nl. */
const paymentReminder = (channel: 'email' | 'sms', locale: string, tone: Tone) =>
  renderSample(catalog, { templateId: 'payment-reminder', channel, locale, tone }, 'nl');
const asEmail = (message: RenderedMessage) => {
  if (message.channel !== 'email') throw new Error('expected an email');
  return message;
};

const policy = loadPolicy();
const steps = (await journeyStepsOf()).map((s) => s.step);

describe('the shipped templates', () => {
  it('are each sent by a journey step, and have every variant the tone rule asks, for each channel', () => {
    // A folder no step names is never validated: a misspelt template id would ship unchecked.
    expect(Object.keys(catalog.templates).sort()).toEqual(
      [...new Set(steps.map((s) => s.templateId))].sort(),
    );
    for (const [templateId, required] of requiredTextVariants(steps, policy)) {
      const channels = new Set(steps.filter((s) => s.templateId === templateId).flatMap((s) => s.channels));
      for (const locale of policy.defaults.locales)
        for (const variant of required)
          for (const channel of channels)
            expect(
              catalog.templates[templateId]?.[locale]?.[variant]?.[templateChannelOf(channel)],
              `${templateId}/${locale}/${variant}/${channel}`,
            ).toBeDefined();
    }
  });

  it.each(otherVariants)(
    '$templateId $locale $tone: the SMS carries the short link and the opt-out, the email the full link',
    (v) => {
      const email = asEmail(renderSample(catalog, { ...v, channel: 'email' }, 'nl').message);
      const sms = renderSample(catalog, { ...v, channel: 'sms' }, 'nl').message;
      const data = sampleDataFor(catalog, { ...v, channel: 'email' });
      // The survey after the visit carries its own link (the sample has a surveyUrl), not the appointment page.
      const link =
        v.templateId === 'appointment-follow-up'
          ? data.links.survey
          : (data.links.activate ?? data.links.manage ?? data.links.pay);
      if (v.templateId === 'appointment-follow-up') expect(link).not.toBe(data.links.manage);
      if (!link) throw new Error(`${v.templateId}: no subject link`);
      const smsLinks = sampleDataFor(catalog, { ...v, channel: 'sms' }).links;
      expect(sms.text).toContain(smsLinks.unsubscribe);
      expect(sms.text).not.toContain(link);
      expect(sms.text).toMatch(
        v.locale === 'nl' ? /\nStop sms: https:\/\/\S+$/ : /\nStop SMS: https:\/\/\S+$/,
      );
      // An appointment's SMS says when.
      if (v.templateId !== 'appointment-follow-up' && v.templateId.startsWith('appointment'))
        expect(sms.text).toContain(v.locale === 'nl' ? 'december 2026' : 'December');
      expect(email.text).toContain(link);
      expect(email.html).toContain(`href="${link}"`);
      expect(email.html).toMatch(new RegExp(`<html lang="${v.locale}"`));
      expect(smsEncodingOf(sms.text).ucs2Characters).toEqual([]);
      // Names stay off lock screens.
      expect(sms.text).not.toContain('Sanne');
    },
  );

  it.each(paymentVariants)(
    '$templateId $locale $tone: the SMS carries the amount, what happens next, the pay link and the opt-out',
    (v) => {
      const email = asEmail(renderSample(catalog, { ...v, channel: 'email' }, 'nl').message);
      const sms = renderSample(catalog, { ...v, channel: 'sms' }, 'nl').message;
      const data = sampleDataFor(catalog, { ...v, channel: 'email' });
      const smsLinks = sampleDataFor(catalog, { ...v, channel: 'sms' }).links;
      const amount = v.locale === 'nl' ? '€ 125,50' : '€125.50';
      expect(sms.text).toContain(amount);
      // The deadline: the firm reminder gives 14 days before collection; the final notice and the
      // friendly reminder 7; the notice before the due date names the due date.
      if (v.templateId === 'payment-pre-due-notice')
        expect(sms.text).toContain(v.locale === 'nl' ? '1 december 2026' : 'December 1, 2026');
      else expect(sms.text).toMatch(v.tone === 'firm' && v.templateId === 'payment-reminder' ? /14/ : /7/);
      if (v.tone === 'firm' && v.templateId !== 'payment-pre-due-notice')
        expect(sms.text).toMatch(v.locale === 'nl' ? /incasso/ : /debt collection/);
      // The short pay link and opt-out in the SMS; the full links in the email.
      expect(sms.text).toContain(`${smsLinks.pay}`);
      expect(sms.text).not.toContain(data.links.pay);
      expect(sms.text).toContain(smsLinks.unsubscribe);
      expect(email.html).toContain(`href="${data.links.pay}"`);
      expect(email.text).toContain(data.links.pay);
      expect(email.text).toContain(data.links.unsubscribe);
      expect(email.html).toContain(`href="${data.links.unsubscribe}"`);
      expect(email.html).toContain(`href="${SAMPLE_LINKS.portal}"`);
      // The subject names the invoice; the date is in the customer's language.
      expect(email.subject).toContain('INV-2026-0042');
      expect(email.text).toContain(v.locale === 'nl' ? '1 december 2026' : 'December 1, 2026');
      expect(email.html).toMatch(new RegExp(`<html lang="${v.locale}"`));
      // SMS: plain GSM-7, so 160/153 characters per part, never UCS-2 by accident.
      expect(smsEncodingOf(sms.text).ucs2Characters).toEqual([]);
      expect(sms.text).not.toContain('Sanne');
    },
  );

  const smsVariants = Object.entries(catalog.templates).flatMap(([templateId, locales]) =>
    Object.entries(locales).flatMap(([locale, tones]) =>
      Object.entries(tones)
        .filter(([, channels]) => channels?.sms)
        .map(([tone]) => ({ templateId, locale, tone })),
    ),
  );
  /** The template's sample, or the long one (40-character family name, € 12.345,67, a long location). */
  const withSample = (templateId: string, sample: 'sample' | 'long', location?: string) => {
    const info = catalog.info?.[templateId];
    if (!info) throw new Error('no template.json');
    const long = longSampleOf(info.sample);
    const chosen = sample === 'long' ? long : info.sample;
    const subject =
      location && 'locationName' in chosen.subject
        ? { ...chosen.subject, locationName: location }
        : chosen.subject;
    return {
      ...catalog,
      info: { ...catalog.info, [templateId]: { ...info, sample: { ...chosen, subject } } },
    };
  };

  it.each(smsVariants)(
    '$templateId $locale $tone: friendly in 1 part, firm in 2, normal and short text, any sample, both opt-outs',
    (v) => {
      const limit = v.tone === 'firm' ? 2 : 1;
      expect(smsLimitOf(catalog, v.templateId, v.tone)).toBe(limit);
      expect(catalog.templates[v.templateId]?.[v.locale]?.[v.tone]?.sms?.short).toBeDefined();
      for (const sample of ['sample', 'long'] as const)
        for (const smsForm of ['normal', 'short'] as const)
          for (const smsOptOut of ['link', 'reply-stop'] as const) {
            const c = { ...v, channel: 'sms' as const, smsForm, smsOptOut };
            const { message } = renderSample(withSample(v.templateId, sample), c, 'nl');
            if (message.channel !== 'sms') throw new Error('expected an SMS');
            expect(message.form).toBe(smsForm);
            expect(message.encoding).toBe('GSM-7');
            expect(
              message.segments,
              `${sample} ${smsForm} ${smsOptOut}: ${message.text}`,
            ).toBeLessThanOrEqual(limit);
            if (smsOptOut === 'reply-stop')
              expect(message.text).toMatch(
                v.locale === 'nl' ? /Stop\? Antwoord STOP$/ : /Reply STOP to opt out$/,
              );
          }
      // The short text is shorter than the normal one.
      const normal = renderSample(withSample(v.templateId, 'long'), { ...v, channel: 'sms' }, 'nl').message;
      const short = renderSample(
        withSample(v.templateId, 'long'),
        { ...v, channel: 'sms', smsForm: 'short' },
        'nl',
      );
      expect(short.message.text.length).toBeLessThan(normal.text.length);
    },
  );

  it.each(smsVariants.filter((v) => v.templateId.startsWith('appointment')))(
    '$templateId $locale $tone: an emoji, RTL mark or control character in a long location stays within the limit after smart encoding, and the reasons say what was replaced',
    (v) => {
      const limit = smsLimitOf(catalog, v.templateId, v.tone);
      const c = { ...v, channel: 'sms' as const };
      const plain = renderSample(withSample(v.templateId, 'long'), c, 'nl').message;
      // Only a text that names the location has something to replace.
      const named = plain.text.includes(LONG_VALUES.locationName);
      for (const [location, replaced] of [
        [`${LONG_VALUES.locationName} 🏥`, 'emoji (U+1F3E5)'],
        [`\u202b${LONG_VALUES.locationName}\u202c`, 'invisible (U+202B U+202C)'],
        [`${LONG_VALUES.locationName}\u0007\u200e`, 'invisible (U+0007 U+200E)'],
      ] as const) {
        const { message, reasons } = renderSample(withSample(v.templateId, 'long', location), c, 'nl');
        expect(message).toMatchObject({ encoding: 'GSM-7' });
        if (message.channel === 'sms') expect(message.segments).toBeLessThanOrEqual(limit);
        const why = reasons.find((r) => r.startsWith('sms smart encoding: '));
        if (named) expect(why).toContain(replaced);
        else expect(why).toBeUndefined();
        expect(reasons.join(' ')).not.toContain('Nieuwegein');
      }
    },
  );

  it.each(variants)('$templateId $locale $tone: escapes a name with markup in the HTML only', (v) => {
    const base = { ...v, channel: 'email' as const };
    const info = catalog.info?.[v.templateId];
    if (!info) throw new Error('no template.json');
    const marked = asEmail(
      renderSample(
        {
          ...catalog,
          info: {
            ...catalog.info,
            [v.templateId]: {
              ...info,
              sample: { ...info.sample, customer: { given: '<b>Jan</b>', family: '<i>J</i>' } },
            },
          },
        },
        base,
        'nl',
      ).message,
    );
    expect(marked.html).toContain('&lt;b&gt;Jan&lt;/b&gt;');
    expect(marked.html).not.toContain('<b>Jan</b>');
    expect(marked.text).toContain('<b>Jan</b>');
  });

  it('fall back from nl-BE to nl and from fr-FR to the policy default, and say so', () => {
    const nlBe = paymentReminder('sms', 'nl-BE', 'friendly');
    expect(nlBe.message.locale).toBe('nl');
    expect(nlBe.reasons).toContain('locale nl: language of nl-BE');
    const fr = paymentReminder('sms', 'fr-FR', 'firm');
    expect(fr.message.locale).toBe('nl');
    expect(fr.reasons).toContain('locale nl: default, no fr-FR or fr available');
    expect(fr.message.text).toContain('incasso');
  });

  it('write amounts and dates in the customer’s own region', () => {
    const gb = asEmail(paymentReminder('email', 'en-GB', 'friendly').message);
    expect(gb.text).toContain('1 December 2026');
    const be = asEmail(paymentReminder('email', 'nl-BE', 'friendly').message);
    expect(be.text).toContain('€ 125,50');
  });

  it.each(noticeVariants)(
    '$templateId $locale $tone: the email states the amount, the term from the day after receipt, its last day and the costs',
    (v) => {
      expect(noticeVariants.length).toBeGreaterThanOrEqual(2);
      const email = asEmail(renderSample(catalog, { ...v, channel: 'email' }, 'nl').message);
      const nl = v.locale === 'nl';
      for (const text of [email.text, email.html]) {
        expect(text).toContain(nl ? '€ 125,50' : '€125.50');
        expect(text).toContain(
          nl ? 'de dag nadat u dit bericht heeft ontvangen' : 'the day after you receive this message',
        );
        expect(text).toContain(nl ? '30 december 2026' : 'December 30, 2026');
        // The sample adds VAT: the costs, the VAT and both together.
        for (const amount of nl ? ['€ 40,00', '€ 8,40', '€ 48,40'] : ['€40.00', '€8.40', '€48.40'])
          expect(text).toContain(amount);
      }
      expect(email.subject).toContain(nl ? '30 december 2026' : 'December 30, 2026');
    },
  );
});
