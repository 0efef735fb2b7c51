import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { checkMessage, linksOf } from '#core/content-check.ts';
import type { TemplateCatalog } from '#core/render.ts';
import { journeyStepsOf } from '#infra/content/journey-steps.ts';
import { validateContent } from '#infra/content/validate-content.ts';

const policy = loadPolicy();
const shipped = loadTemplateCatalog(defaultTemplatesDir());
const steps = await journeyStepsOf();
/** A copy of the shipped catalog to break on purpose (a new object: parsed afresh). */
const copy = (): TemplateCatalog => structuredClone(shipped);
const failuresOf = (catalog: TemplateCatalog) =>
  validateContent({ catalog, policy, steps }).failures.map((f) => f.message);

describe('content validation (the gate in npm test)', () => {
  it('reads the journey steps from the run-journey-step tasks of every ASL file', () => {
    expect(steps.map((s) => `${s.file}#${s.state}`)).toEqual([
      'statemachines/payment-reminder.asl.json#PreDueNotice',
      'statemachines/payment-reminder.asl.json#FirstReminder',
      'statemachines/payment-reminder.asl.json#SecondReminder',
      'statemachines/payment-reminder.asl.json#FinalNotice',
      'statemachines/onboarding.asl.json#Welcome',
      'statemachines/onboarding.asl.json#ActivationReminder',
      'statemachines/onboarding.asl.json#Tip',
      'statemachines/appointment.asl.json#Confirmation',
      'statemachines/appointment.asl.json#Reminder',
      'statemachines/appointment.asl.json#FollowUp',
    ]);
    expect(steps[2]?.step).toMatchObject({
      stepId: 'second-reminder',
      tone: 'firm',
      channels: ['email', 'sms'],
    });
    // A run-journey-step step names its journey in the Task's input; its supporting-channel
    // sends use the step's own channels and template.
    expect(steps[0]?.step).toMatchObject({
      journeyId: 'payment-reminder',
      stepId: 'pre-due-notice',
      templateId: 'payment-pre-due-notice',
    });
  });

  it('passes for every channel, locale and variant the journeys can pick', () => {
    const { cases, failures } = validateContent({ catalog: shipped, policy, steps });
    expect(failures.map((f) => f.message)).toEqual([]);
    // First reminder: segment tone (friendly or firm); second reminder: firm; final notice (its own
    // template): firm. Email and SMS, nl and en.
    const payment = cases.filter((c) => c.templateId.startsWith('payment-'));
    // The notice before the due date: friendly, email and SMS, nl and en.
    // The first reminder's experiment adds its arm's named variant: direct.
    expect(payment.map((c) => `${c.channel}/${c.locale}/${c.tone}`).sort()).toEqual([
      'email/en/direct',
      'email/en/firm',
      'email/en/firm',
      'email/en/friendly',
      'email/en/friendly',
      'email/nl/direct',
      'email/nl/firm',
      'email/nl/firm',
      'email/nl/friendly',
      'email/nl/friendly',
      'sms/en/direct',
      'sms/en/firm',
      'sms/en/firm',
      'sms/en/friendly',
      'sms/en/friendly',
      'sms/nl/direct',
      'sms/nl/firm',
      'sms/nl/firm',
      'sms/nl/friendly',
      'sms/nl/friendly',
    ]);
  });

  it('names template, channel, locale and variant when a variant is missing (no silent fallback)', () => {
    const catalog = copy();
    delete catalog.templates['payment-reminder']?.nl?.firm?.sms;
    expect(failuresOf(catalog)).toEqual([
      'template payment-reminder, channel sms, locale nl, variant firm (step payment-reminder/first-reminder, payment-reminder/second-reminder): missing: templates/payment-reminder/nl/firm/sms.liquid',
    ]);
  });

  it('fails a template that uses a variable the step does not provide', () => {
    const catalog = copy();
    const en = catalog.templates['payment-reminder']?.en?.friendly;
    if (!en?.sms) throw new Error('fixture');
    en.sms.text = 'Invoice {{ invoice.reference }}: {{ links.pay }}';
    const [failure, ...rest] = failuresOf(catalog);
    expect(rest).toEqual([]);
    expect(failure).toMatch(
      /^template payment-reminder, channel sms, locale en, variant friendly \(step payment-reminder\/first-reminder\): does not render with the sample data: .*reference/,
    );
  });

  it('fails links that are not absolute https', () => {
    const catalog = copy();
    const nl = catalog.templates['payment-reminder']?.nl?.friendly;
    if (!nl?.email) throw new Error('fixture');
    nl.email.html = nl.email.html.replace('href="{{ links.portal }}"', 'href="/portaal"');
    nl.email.text += '\nhttp://portal.example.com';
    expect(failuresOf(catalog).sort()).toEqual(
      [
        'template payment-reminder, channel email, locale nl, variant friendly (step payment-reminder/first-reminder): link "/portaal" is not absolute',
        'template payment-reminder, channel email, locale nl, variant friendly (step payment-reminder/first-reminder): link "http://portal.example.com" is not https',
      ].sort(),
    );
  });

  it('fails an email without a subject and an SMS above its template’s limit', () => {
    const catalog = copy();
    const en = catalog.templates['payment-reminder']?.en?.firm;
    const info = catalog.info?.['payment-reminder'];
    if (!en?.email || !info) throw new Error('fixture');
    en.email.subject = '{% if false %}x{% endif %}';
    info.smsMaxSegments = 2;
    const failures = failuresOf(catalog);
    expect(failures).toHaveLength(3);
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^template payment-reminder, channel email, locale en, variant firm .*: subject is empty$/,
        ),
        expect.stringMatching(
          /^template payment-reminder, channel sms, locale en, variant firm .*: sms takes 3 GSM-7 parts \(\d+ of 153 per part\), more than the template's limit of 2$/,
        ),
        expect.stringMatching(
          /^template payment-reminder, channel sms, locale nl, variant firm .*limit of 2$/,
        ),
      ]),
    );
  });

  it('fails a step whose template does not exist, and a policy locale without texts', () => {
    const step = { ...(steps[0]?.step ?? ({} as never)), templateId: 'welcome' };
    const { failures } = validateContent({
      catalog: shipped,
      policy,
      steps: [{ file: 'x.asl.json', state: 'PickChannelAndSlot', step }],
    });
    expect(failures[0]?.message).toMatch(
      /^template welcome, channel email, locale nl, variant friendly .*: missing: no folder templates\/welcome\/$/,
    );
    const withGerman = {
      ...policy,
      defaults: { ...policy.defaults, locales: [...policy.defaults.locales, 'de'] },
    };
    expect(validateContent({ catalog: shipped, policy: withGerman, steps }).failures[0]?.message).toMatch(
      /^template payment-pre-due-notice, channel email, locale de, variant friendly .*: missing: templates\/payment-pre-due-notice\/de\/friendly\/email\.mjml/,
    );
  });
});

describe('checkMessage', () => {
  it('finds links in HTML attributes and in text, and warns about characters that force UCS-2', () => {
    const email = {
      channel: 'email' as const,
      locale: 'nl',
      subject: 'Factuur',
      html: '<html><body><a href="https://a.example/?x=1&amp;y=2">a</a><img src="https://b.example/i.png"></body></html>',
      text: 'Zie https://c.example/pad. En www.d.example',
    };
    expect(linksOf(email)).toEqual([
      'https://c.example/pad',
      'www.d.example',
      'https://a.example/?x=1&y=2',
      'https://b.example/i.png',
    ]);
    expect(checkMessage(email, { smsMaxSegments: 3 }).problems).toEqual([
      'link "www.d.example" is not absolute',
    ]);
    const sms = {
      channel: 'sms' as const,
      locale: 'nl',
      text: 'Dat is ’t',
      encoding: 'UCS-2' as const,
      segments: 1,
    };
    expect(checkMessage(sms, { smsMaxSegments: 3 })).toEqual({
      problems: [],
      warnings: ['sms is UCS-2 (70 characters per part instead of 160) because of "’" (U+2019)'],
    });
  });

  it('fails leftover Liquid and an HTML part that is not a document', () => {
    const email = {
      channel: 'email' as const,
      locale: 'nl',
      subject: 'x',
      html: '<p>{{ x }}</p>',
      text: 'x',
    };
    expect(checkMessage(email, { smsMaxSegments: 3 }).problems).toEqual([
      'html contains Liquid that was not rendered',
      'html is not a complete HTML document',
    ]);
  });
});
