/**
 * An SMS never goes out over its template's part limit, end to end on the local runtime: the payment
 * reminder's SMS (here a text that names the customer, at most one part, with a short form that names
 * only their given name) is counted for each customer before the step chooses. A long family name gets
 * the short text; a given name that takes even the short text over the limit gets the email instead,
 * or — reachable by SMS alone — nothing, with the reason in the conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { TemplateCatalog, ToneTemplates } from '#core/render.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import type { TemplateInfo } from '#core/template-info.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const LIMIT = 1;
const FULL =
  'Hoi {{ customer.givenName }} {{ customer.familyName }}, uw factuur van {{ invoice.amount | money: invoice.currency }} staat nog open. Betaal die vandaag nog via {{ links.pay }}';
const SHORT =
  '{{ customer.givenName }}: factuur {{ invoice.amount | money: invoice.currency }} open. Betaal: {{ links.pay }}';

/** The shipped templates, the payment reminder's Dutch SMS replaced by the texts above. */
function catalogWithNamedSms(): TemplateCatalog {
  const shipped = loadTemplateCatalog(defaultTemplatesDir());
  const reminder = shipped.templates['payment-reminder'] ?? {};
  const nl = Object.fromEntries(
    Object.entries(reminder.nl ?? {}).map(([variant, texts]) => [
      variant,
      { ...texts, sms: { text: FULL, short: SHORT } } satisfies ToneTemplates,
    ]),
  );
  return {
    ...shipped,
    templates: { ...shipped.templates, 'payment-reminder': { ...reminder, nl } },
    info: {
      ...shipped.info,
      'payment-reminder': { ...shipped.info?.['payment-reminder'], smsMaxSegments: LIMIT } as TemplateInfo,
    },
  };
}

const longFamilyName: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-long-family-name',
  name: { given: 'Sem', family: 'van Oldenbarnevelt-Rijckevorsel tot Nijenrode en Wijk bij Duurstede' },
  email: 'sem@example.nl',
  phone: '+31612345681',
  preferences: { channel: 'sms' },
};
const longGivenName =
  'Maria-Magdalena Wilhelmina Josephina Theodora Antoinette Gertrudis Cornelia Johanna Elisabeth Catharina';
const longNames: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-long-names',
  name: { given: longGivenName, family: 'Visser' },
  email: 'maria@example.nl',
  phone: '+31612345682',
  preferences: { channel: 'sms' },
};
const smsOnly: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-long-names-sms-only',
  name: { given: longGivenName, family: 'de Jong' },
  phone: '+31612345683',
};
const customers = [longFamilyName, longNames, smsOnly];

let stack: LocalStack;
const { readTimelines, entriesOf, smsTo, sentSteps } = customerViews(() => stack);
const firstReminderDecision = (customer: CustomerProfile) =>
  entriesOf(customer, { kind: 'decision', stepId: 'first-reminder' }).at(-1);

beforeAll(async () => {
  stack = await startE2eStack({ catalog: catalogWithNamedSms() });
  await seedCustomers(stack, customers);
  for (const [i, customer] of customers.entries()) {
    const started = await startPaymentReminder(stack, customer.id, demoInvoice(customer, i, simulationStart));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('an SMS over its template’s limit, end to end', () => {
  it('sends the short text to the customer whose family name takes the full text over the limit', () => {
    const [first] = smsTo(longFamilyName);
    expect(first?.message).toMatch(/^Sem: factuur .* open\. Betaal: https?:\/\/\S+\/s\/[A-Za-z0-9_-]{12}/);
    expect(smsEncodingOf(first?.message ?? '').segments).toBeLessThanOrEqual(LIMIT);
    expect(sentSteps(longFamilyName)[0]).toBe('first-reminder/sms');
    expect(firstReminderDecision(longFamilyName)?.reasons).toContain(
      'sms: 2 parts over the limit of 1: short text used',
    );
  });

  it('sends the email instead when even the short text is over the limit', () => {
    expect(sentSteps(longNames)[0]).toBe('first-reminder/email');
    expect(firstReminderDecision(longNames)?.reasons).toContainEqual(
      expect.stringMatching(/^sms: \d parts over the limit of 1 \(short text \d parts too\): email instead$/),
    );
  });

  it('sends nothing to the customer SMS alone reaches, and says why', () => {
    const decision = firstReminderDecision(smsOnly);
    expect(decision).toMatchObject({
      outcome: 'skipped',
      summary: 'payment-reminder/first-reminder: skipped, sms-too-long',
    });
    expect(decision?.reasons).toContain(
      'sms: 2 parts over the limit of 1 (short text 2 parts too): not sent',
    );
    expect(sentSteps(smsOnly)).not.toContain('first-reminder/sms');
  });

  it('never sends a payment reminder SMS over its limit', () => {
    const reminders = customers.flatMap((customer) =>
      entriesOf(customer, {
        kind: 'message',
        outcome: 'sent',
        channel: 'sms',
        templateId: 'payment-reminder',
      }),
    );
    expect(reminders.length).toBeGreaterThan(0);
    for (const sms of reminders)
      expect(smsEncodingOf(sms.body?.text ?? '').segments).toBeLessThanOrEqual(LIMIT);
  });
});
