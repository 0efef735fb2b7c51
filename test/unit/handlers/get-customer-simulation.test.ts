import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { SimulationSchema } from '#application/api/simulation.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { TemplateCatalog } from '#core/render.ts';
import type { TemplateInfo } from '#core/template-info.ts';
import { makeHandler } from '#handlers/get-customer-simulation.ts';
import { demoCustomer } from '#infra/local/demo-customers.ts';
import { httpEvent, lambdaContext, viewer } from '../../fixtures/lambda.ts';

const NOW = new Date('2026-12-01T08:00:00Z');
const known = demoCustomer('c-1001');
/** The customer's invoice, not yet due on the day of the simulation (Friday 4 December). */
const invoice = {
  type: 'invoice' as const,
  id: 'INV-7',
  amount: '42.00',
  currency: 'EUR',
  dueDate: '2026-12-03',
  payUrl: 'https://pay.example.com/i/7',
};
const policy = loadPolicy();
const shipped = loadTemplateCatalog(defaultTemplatesDir());
const handlerWith = (customer: CustomerProfile, catalog: TemplateCatalog) =>
  makeHandler({
    customers: {
      getCustomer: async (id: string) => (id === customer.id ? customer : undefined),
      getSubject: async (customerId: string, subjectId: string) =>
        customerId === customer.id && subjectId === invoice.id
          ? { customerId, subjectId, status: 'open' as const, updatedAt: NOW.toISOString(), invoice }
          : undefined,
    },
    policy,
    clock: { now: () => NOW },
    content: { catalog, smsLinkBase: 'https://go.example.nl' },
  });
const handler = handlerWith(known, shipped);
const get = (
  customerId: string,
  journey: string,
  caller: Parameters<typeof httpEvent>[0]['caller'] = viewer,
  subject?: string,
  on = handler,
) =>
  on(
    httpEvent({
      pathParameters: { customerId },
      queryStringParameters: { journey, ...(subject ? { subject } : {}) },
      caller,
    }),
    lambdaContext,
  );

describe('get-customer-simulation', () => {
  it("plans the journey for a demo customer's stored profile, starting now, with each step's decision and reasons", async () => {
    const response = await get(known.id, 'payment-reminder');
    expect(response.statusCode).toBe(200);
    const plan = SimulationSchema.parse(JSON.parse(String(response.body)));
    expect(plan).toMatchObject({
      customerId: known.id,
      journeyId: 'payment-reminder',
      at: NOW.toISOString(),
    });
    expect(plan.steps.length).toBeGreaterThan(1);
    const first = plan.steps[0];
    expect(first?.skipped).toBeNull();
    expect(first?.channel).toMatch(/^(email|sms)$/);
    expect(first?.template).toBeTruthy();
    expect(first?.timezone).toBeTruthy();
    expect(first?.localSendAt).toBeTruthy();
    expect(Date.parse(first?.sendAt ?? '')).toBeGreaterThanOrEqual(NOW.getTime());
    expect(first?.reasons.length).toBeGreaterThan(0);
    // Later steps come later on the simulated clock.
    const decided = plan.steps.map((s) => Date.parse(s.decidedAt));
    expect(decided).toEqual([...decided].sort((a, b) => a - b));
  });

  it('plans with a stored subject: the notice before its due date first, the reminder the day after it', async () => {
    const response = await get(known.id, 'payment-reminder', viewer, invoice.id);
    expect(response.statusCode).toBe(200);
    const plan = SimulationSchema.parse(JSON.parse(String(response.body)));
    expect(plan.steps.map((s) => s.step).slice(0, 2)).toEqual(['pre-due-notice', 'first-reminder']);
    expect(plan.steps[1]?.localSendAt?.slice(0, 10)).toBe('2026-12-04');
    expect(plan.notes).not.toContain('no subject given: steps about its dates are planned as if it had none');
    const without = SimulationSchema.parse(
      JSON.parse(String((await get(known.id, 'payment-reminder')).body)),
    );
    expect(without.steps[0]?.step).toBe('first-reminder');
    expect(without.notes).toContain('no subject given: steps about its dates are planned as if it had none');
  });

  it('answers 404 for a subject the customer does not have', async () => {
    const response = await get(known.id, 'payment-reminder', viewer, 'INV-unknown');
    expect(response.statusCode).toBe(404);
  });

  it('answers 404 for an unknown customer', async () => {
    const response = await get('c-nobody', 'payment-reminder');
    expect(response.statusCode).toBe(404);
  });

  it('answers 400 with the field for an unknown journey', async () => {
    const response = await get(known.id, 'no-such-journey');
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).issues[0].path).toBe('journey');
  });

  it('refuses a caller without a console role, and tells nothing about the customer', async () => {
    const response = await get(known.id, 'payment-reminder', 'anonymous');
    expect(response.statusCode).toBe(403);
    expect(String(response.body)).not.toContain(known.id);
  });

  describe('prices each SMS by the parts it takes for the customer, as the step does', () => {
    const smsPrice = policy.channelCosts.sms.byCountry.NL ?? policy.channelCosts.sms.default;
    /** A reminder SMS that names the customer: one part with a short name, two with a long one. */
    const catalogWith = (limit: number, short?: string): TemplateCatalog => {
      const text = {
        sms: {
          text: 'Hoi {{ customer.givenName }} {{ customer.familyName }}, uw factuur van {{ invoice.amount | money: invoice.currency }} staat nog open. Betaal die vandaag nog via {{ links.pay }}',
          ...(short ? { short } : {}),
        },
        email: { subject: 'Herinnering', html: '<html><body>Herinnering</body></html>', text: 'Herinnering' },
      };
      return {
        templates: { 'payment-reminder': { nl: { friendly: text, firm: text, direct: text } } },
        info: { 'payment-reminder': { smsMaxSegments: limit } as TemplateInfo },
      };
    };
    const smsCustomer = (name: CustomerProfile['name']): CustomerProfile => ({
      id: 'c-sms-2',
      locale: 'nl-NL',
      country: 'NL',
      timezone: 'Europe/Amsterdam',
      email: 'sms@example.nl',
      phone: '+31612345678',
      name,
      preferences: { channel: 'sms' },
    });
    const longName = { given: 'Maria-Magdalena Wilhelmina', family: 'van Oldenbarnevelt-Rijckevorsel' };
    const firstReminder = async (customer: CustomerProfile, catalog: TemplateCatalog) => {
      const response = await get(
        customer.id,
        'payment-reminder',
        viewer,
        invoice.id,
        handlerWith(customer, catalog),
      );
      expect(response.statusCode).toBe(200);
      const plan = SimulationSchema.parse(JSON.parse(String(response.body)));
      const step = plan.steps.find((s) => s.step === 'first-reminder');
      if (!step) throw new Error('no first reminder in the plan');
      return step;
    };

    it('a text that takes two parts for a long name costs two parts in the reasons', async () => {
      const short = await firstReminder(smsCustomer({ given: 'Sanne', family: 'de Vries' }), catalogWith(3));
      expect(short).toMatchObject({ channel: 'sms' });
      expect(short.reasons).toContain(`cost sms: 1 part, ${smsPrice} USD`);
      const long = await firstReminder(smsCustomer(longName), catalogWith(3));
      expect(long).toMatchObject({ channel: 'sms' });
      expect(long.reasons).toContain(`cost sms: 2 parts, ${Number((2 * smsPrice).toPrecision(6))} USD`);
    });

    it("over the template's limit the plan shows the short text, or the email, with the reason", async () => {
      const shortText = 'Factuur {{ invoice.amount | money: invoice.currency }} open: {{ links.pay }}';
      const withShort = await firstReminder(smsCustomer(longName), catalogWith(1, shortText));
      expect(withShort).toMatchObject({ channel: 'sms' });
      expect(withShort.reasons).toContain('sms: 2 parts over the limit of 1: short text used');
      const without = await firstReminder(smsCustomer(longName), catalogWith(1));
      expect(without).toMatchObject({ channel: 'email' });
      expect(without.reasons).toContain('sms: 2 parts over the limit of 1 (no short text): email instead');
    });
  });
});
