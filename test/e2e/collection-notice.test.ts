/**
 * The Dutch fourteen-day notice on the local runtime: a Dutch consumer who agreed to electronic
 * communication gets it as the payment reminder's final notice (the amount, the statutory costs, the
 * term from the day after receipt and its last day), and the hand-over to collection waits until that
 * term has run out; a consumer who did not agree gets it by letter, its term counted from the letter's
 * receipt; a business customer and a consumer with neither keep today's final notice and are handed over
 * seven days later.
 */
import { DateTime } from 'luxon';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { paymentTermOf } from '#core/payment-term.ts';
import { dutchNonTermDay } from '#core/statutory-term-days.ts';
import { demoInvoice, seedCustomers, startPaymentReminder } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, customerViews, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const consumer: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-consumer-agreed',
  name: { given: 'Lotte', family: 'de Boer' },
  email: 'lotte@example.nl',
  attributes: { electronicNoticesAgreedAt: '2025-06-01' },
};
const business: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-business',
  name: { given: 'Karin', family: 'Smit' },
  email: 'crediteuren@example.nl',
  attributes: { segmentHint: 'business', electronicNoticesAgreedAt: '2025-06-01' },
};
const notAgreed: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-consumer-not-agreed',
  name: { given: 'Daan', family: 'Mulder' },
  email: 'daan@example.nl',
};
const byLetter: CustomerProfile = {
  ...amsterdam,
  id: 'e2e-consumer-by-letter',
  name: { given: 'Sem', family: 'Visser' },
  email: 'sem@example.nl',
  address: { line1: 'Dorpsstraat 12', postalCode: '1234 AB', city: 'Utrecht', country: 'NL' },
};
const customers = [consumer, business, notAgreed, byLetter];
// € 3,000: 15 % of € 2,500 and 10 % of € 500 is € 425 of statutory costs.
const invoiceOf = (customer: CustomerProfile) => ({
  ...demoInvoice(customer, customers.indexOf(customer), simulationStart),
  amount: '3000.00',
});

let stack: LocalStack;
const { readTimelines, entriesOf, emailsTo } = customerViews(() => stack);
const local = (at: string) => DateTime.fromISO(at).setZone('Europe/Amsterdam');
const sentOf = (customer: CustomerProfile, stepId: string) =>
  entriesOf(customer, { kind: 'message', outcome: 'sent', stepId })[0];
const handedOverAt = (customer: CustomerProfile) => entriesOf(customer, { outcome: 'escalated' })[0]?.at;

beforeAll(async () => {
  stack = await startE2eStack();
  await seedCustomers(stack, customers);
  for (const customer of customers) {
    const started = await startPaymentReminder(stack, customer.id, invoiceOf(customer));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the fourteen-day notice, end to end', () => {
  it('ends every run', () => {
    for (const execution of stack.engine.listExecutions())
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
  });

  it('sends the Dutch consumer who agreed to email the notice: the amount, the costs, the term and its last day', async () => {
    const final = sentOf(consumer, 'final-notice');
    expect(final).toMatchObject({ channel: 'email', templateId: 'payment-collection-notice' });
    const sentOn = local(final?.at as string).toISODate() as string;
    const { lastDay } = paymentTermOf({
      receivedOn: sentOn,
      termDays: 14,
      nonTermDay: (d) => dutchNonTermDay(d),
    });
    const lastDayText = DateTime.fromISO(lastDay).setLocale('nl').toFormat('d MMMM yyyy');
    const email = (await emailsTo(consumer)).at(-1);
    expect(email?.subject).toContain(lastDayText);
    expect(email?.text).toContain('€ 3.000,00');
    expect(email?.text).toContain('€ 425,00');
    expect(email?.text).toContain(
      '14 dagen zonder extra kosten betalen, te rekenen vanaf de dag nadat u dit bericht heeft ontvangen',
    );
    expect(email?.text).toContain(`dan is uw laatste betaaldag ${lastDayText}`);
    expect(email?.text).toContain(invoiceOf(consumer).payUrl);
    expect(final?.reasons?.join('\n')).toContain(`last day to pay ${lastDay}`);
  });

  it('hands the consumer over to collection only after the last day to pay', () => {
    const final = sentOf(consumer, 'final-notice');
    const sentOn = local(final?.at as string).toISODate() as string;
    const { lastDay } = paymentTermOf({
      receivedOn: sentOn,
      termDays: 14,
      nonTermDay: (d) => dutchNonTermDay(d),
    });
    const handOver = handedOverAt(consumer);
    expect(handOver).toBeDefined();
    expect((local(handOver as string).toISODate() as string) > lastDay).toBe(true);
    expect(
      stack.handOvers
        .events()
        .filter((h) => h.customerId === consumer.id)
        .map((h) => h.reason),
    ).toEqual(['no-reaction']);
  });

  it('posts the notice by letter to a consumer who did not agree, its term from the day the letter arrives', async () => {
    const final = sentOf(byLetter, 'final-notice');
    expect(final).toMatchObject({ channel: 'letter', templateId: 'payment-collection-notice' });
    const reasons = final?.reasons?.join('\n') ?? '';
    const [, receivedOn, lastDay] =
      /fourteen-day notice by letter: received (\d{4}-\d{2}-\d{2}), last day to pay (\d{4}-\d{2}-\d{2})/.exec(
        reasons,
      ) ?? [];
    expect(receivedOn, reasons).toBeDefined();
    // A letter is received after its transit, not the day it is posted.
    expect((receivedOn ?? '') > (local(final?.at as string).toISODate() as string)).toBe(true);
    expect(
      paymentTermOf({ receivedOn: receivedOn as string, termDays: 14, nonTermDay: (d) => dutchNonTermDay(d) })
        .lastDay,
    ).toBe(lastDay);
    const letter = stack.letterOutbox
      .letters()
      .filter((l) => l.customerId === byLetter.id && l.stepId === 'final-notice')
      .at(-1);
    expect(letter).toBeDefined();
    const { text } = await extractText(await getDocumentProxy(letter?.pdf ?? new Uint8Array()), {
      mergePages: true,
    });
    const lastDayText = DateTime.fromISO(lastDay as string)
      .setLocale('nl')
      .toFormat('d MMMM yyyy');
    expect(text).toContain('€ 425,00');
    expect(text).toContain(lastDayText);
    expect(text).toContain('Dorpsstraat 12');
    // Its own letter text: the term counted from receiving this letter, how to transfer, no email footer.
    const words = text.replace(/\s+/g, ' ');
    // Dated the customer's local day it was recorded (posted at once locally).
    expect(words).toContain(
      local(letter?.postedAt as string)
        .setLocale('nl')
        .toFormat('d MMMM yyyy'),
    );
    expect(words).toContain('vanaf de dag nadat u deze brief heeft ontvangen');
    expect(words).toContain('Maak het bedrag over naar de rekening onder deze brief');
    expect(words).not.toContain('Afmelden voor e-mail');
    expect((local(handedOverAt(byLetter) as string).toISODate() as string) > (lastDay as string)).toBe(true);
  });

  it('keeps today’s final notice for a business customer and a consumer who did not agree, handed over seven days later', async () => {
    for (const customer of [business, notAgreed]) {
      const final = sentOf(customer, 'final-notice');
      expect(final).toMatchObject({ channel: 'email', templateId: 'payment-final-notice' });
      const email = (await emailsTo(customer)).at(-1);
      expect(email?.text).toContain('Betaal binnen 7 dagen');
      expect(email?.text).not.toContain('incassokosten');
      const days = local(handedOverAt(customer) as string).diff(local(final?.at as string), 'days').days;
      expect(days).toBeGreaterThanOrEqual(7);
      expect(days).toBeLessThan(10);
    }
    const reasonsOf = (customer: CustomerProfile) =>
      entriesOf(customer, { kind: 'decision', stepId: 'final-notice' })
        .flatMap((e) => e.reasons ?? [])
        .join('\n');
    expect(reasonsOf(business)).toContain('business customer: no NL consumer notice');
    expect(reasonsOf(notAgreed)).toContain('no agreement to electronic communication');
    expect(reasonsOf(consumer)).toContain('NL consumer: fourteen-day notice (nl-bik), by email');
  });
});
