import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { journeys } from '#catalog/catalog.ts';
import { checkMessage, linksOf } from '#core/content-check.ts';
import type { TemplateCatalog } from '#core/render.ts';
import { textVariantsOfStep, tonesSegmentationGives } from '#core/tone-rule.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { type AslStates, journeyStepsOf, statesOf } from '#infra/content/journey-steps.ts';
import { validateContent } from '#infra/content/validate-content.ts';

const policy = loadPolicy();
const shipped = loadTemplateCatalog(defaultTemplatesDir());
const steps = await journeyStepsOf();
/** A copy of the shipped catalog to break on purpose (a new object: parsed afresh). */
const copy = (): TemplateCatalog => structuredClone(shipped);
const failuresOf = (catalog: TemplateCatalog) =>
  validateContent({ catalog, policy, steps }).failures.map((f) => f.message);

describe('content validation (the gate in npm test)', () => {
  it('reads the journey steps from the run-journey-step tasks of every journey in the catalog', () => {
    // Every message step of every journey: a run-journey-step Task that names a template, in file order;
    // a read check re-visits the step before it with the same content.
    const expected = journeys.flatMap((journey) => {
      const definition = JSON.parse(
        readFileSync(join(repoRoot, journey.definitionFile), 'utf8'),
      ) as AslStates;
      return (
        statesOf(definition)
          .filter(([, state]) => {
            const step = state.Parameters?.Payload?.step as
              | { templateId?: unknown; readCheck?: true }
              | undefined;
            return state.Type === 'Task' && typeof step?.templateId === 'string' && !step.readCheck;
          })
          // A step with a fourteen-day notice counts twice: its own content and the notice's.
          .flatMap(([name, state]) =>
            Array(
              (state.Parameters?.Payload?.step as { collectionNotice?: object } | undefined)?.collectionNotice
                ? 2
                : 1,
            ).fill(`${journey.definitionFile}#${name}`),
          )
      );
    });
    expect(steps.map((s) => `${s.file}#${s.state}`)).toEqual(expected);
    for (const journey of journeys) expect(steps.some((s) => s.step.journeyId === journey.id)).toBe(true);
    // The payment reminder's second reminder forces the firm tone; its steps name their journey in the Task's input.
    expect(steps.find((s) => s.step.stepId === 'second-reminder')?.step).toMatchObject({
      journeyId: 'payment-reminder',
      tone: 'firm',
      channels: ['email', 'sms', 'letter', 'phone'],
    });
    // The final notice's fourteen-day notice, on the channels the law allows it.
    expect(steps.find((s) => s.step.templateId === 'payment-collection-notice')?.step).toMatchObject({
      stepId: 'final-notice',
      tone: 'firm',
      channels: ['email', 'letter'],
    });
    expect(steps.find((s) => s.step.stepId === 'pre-due-notice')?.step).toMatchObject({
      journeyId: 'payment-reminder',
      templateId: 'payment-pre-due-notice',
    });
  });

  it('passes for every channel, locale and variant the journeys can pick (the tone rule)', () => {
    const { cases, failures } = validateContent({ catalog: shipped, policy, steps });
    expect(failures.map((f) => f.message)).toEqual([]);
    const checked = new Set(cases.map((c) => `${c.templateId}|${c.channel}|${c.locale}|${c.tone}`));
    const segmentationTones = tonesSegmentationGives(policy);
    for (const { step } of steps) {
      for (const variant of textVariantsOfStep(step, segmentationTones))
        for (const channel of step.channels)
          for (const locale of policy.defaults.locales)
            expect(checked, `${step.journeyId}/${step.stepId}`).toContain(
              `${step.templateId}|${channel}|${locale}|${variant}`,
            );
    }
    // The final notice forces firm, so its template needs no friendly text; the first reminder takes the
    // segment's tone (friendly or firm) and its experiment's direct variant.
    const variantsOf = (templateId: string) =>
      [...new Set(cases.filter((c) => c.templateId === templateId).map((c) => c.tone))].sort();
    expect(variantsOf('payment-final-notice')).toEqual(['firm']);
    expect(variantsOf('payment-reminder')).toEqual(['direct', 'firm', 'friendly']);
  });

  it('needs no tone that no step picks, and every tone a step picks in each locale folder the template has', () => {
    const finalNotice = copy();
    for (const locale of Object.values(finalNotice.templates['payment-final-notice'] ?? {}))
      delete locale.friendly;
    expect(failuresOf(finalNotice)).toEqual([]);
    const flemish = copy();
    const nl = flemish.templates['payment-reminder']?.nl;
    if (!nl?.friendly) throw new Error('fixture');
    flemish.templates['payment-reminder'] = {
      ...flemish.templates['payment-reminder'],
      'nl-BE': { friendly: nl.friendly },
    };
    expect(failuresOf(flemish)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^template payment-reminder, channel sms, locale nl-BE, variant firm .*: missing: templates\/payment-reminder\/nl-BE\/firm\/sms\.liquid$/,
        ),
      ]),
    );
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
    if (!en.sms) throw new Error('fixture');
    // 400 more characters: at least three parts, above the limit of 2 with any sample.
    en.sms.text = `${en.sms.text} ${'x'.repeat(400)}`;
    info.smsMaxSegments = 2;
    const failures = failuresOf(catalog);
    expect(failures[0]).toMatch(
      /^template payment-reminder, channel email, locale en, variant firm .*: subject is empty$/,
    );
    // A letter is written from the email's subject and text: its subject is empty too.
    expect(failures.at(-1)).toMatch(
      /^template payment-reminder, channel letter, locale en, variant firm .*: subject is empty$/,
    );
    expect(failures.slice(1, -1)).not.toHaveLength(0);
    for (const failure of failures.slice(1, -1))
      expect(failure).toMatch(
        /^template payment-reminder, channel sms, locale en, variant firm .*sms takes [3-9] GSM-7 parts \(\d+ of 153 per part\), more than the template's limit of 2$/,
      );
  });

  it('fails a text that leaves a gap where the name goes for a customer without a name', () => {
    const catalog = copy();
    const en = catalog.templates['payment-reminder']?.en?.friendly;
    if (!en?.sms) throw new Error('fixture');
    en.sms.text = `Dear {{ customer.givenName }}, ${en.sms.text}`;
    expect(failuresOf(catalog)).toContainEqual(
      expect.stringMatching(
        /^template payment-reminder, channel sms, locale en, variant friendly .*: for a customer without a name, "Dear , .*" has a gap where the name would go$/,
      ),
    );
  });

  it('fails an SMS that fits with the sample but not with the long one, naming its file', () => {
    const catalog = copy();
    const en = catalog.templates['payment-reminder']?.en?.friendly;
    if (!en?.sms) throw new Error('fixture');
    // 160 characters with the sample's INV-2026-0042 and €125.50; 9 more with the long id and €12,345.67.
    en.sms.text = `Invoice {{ invoice.id }}: {{ invoice.amount | money: invoice.currency }}. ${'x'.repeat(81)} {{ optOut }}`;
    const { failures } = validateContent({ catalog, policy, steps });
    expect(failures.map((f) => [f.issue.file, f.problem])).toEqual([
      [
        'templates/payment-reminder/en/friendly/sms.liquid',
        "with the long sample: sms takes 2 GSM-7 parts (169 of 153 per part), more than the template's limit of 1",
      ],
    ]);
    // Its short text is checked the same way, and named as its own file.
    en.sms.short = `${'x'.repeat(200)} {{ optOut }}`;
    const short = validateContent({ catalog, policy, steps }).failures.map((f) => f.issue.file);
    expect(short).toContain('templates/payment-reminder/en/friendly/sms.short.liquid');
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
    expect(
      validateContent({ catalog: shipped, policy: withGerman, steps }).failures.map((f) => f.message),
    ).toContainEqual(
      expect.stringMatching(
        /^template payment-pre-due-notice, channel email, locale de, variant friendly .*: missing: templates\/payment-pre-due-notice\/de\/friendly\/email\.mjml/,
      ),
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
