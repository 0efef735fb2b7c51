/**
 * The step renders the customer's SMS before it chooses: the decision prices the parts their text
 * takes (their name, their invoice), and an SMS over its template's limit is never the channel.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { decideAndRecordStep } from '#application/decide-step.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { TemplateCatalog } from '#core/render.ts';
import type { TemplateInfo } from '#core/template-info.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { firstReminder as step } from '../../fixtures/journey-steps.ts';
import { stepInvoice } from '../../fixtures/step-visits.ts';

// Monday 30 November 2026, 10:00 in Amsterdam: inside the young-digital segment's window.
const NOW = new Date('2026-11-30T09:00:00Z');
const policy = loadPolicy();
const smsPrice = policy.channelCosts.sms.byCountry.NL ?? policy.channelCosts.sms.default;

/** A reminder whose SMS names the customer: one part with a short name, two with a long one. */
const smsText =
  'Hoi {{ customer.givenName }} {{ customer.familyName }}, uw factuur van {{ invoice.amount | money: invoice.currency }} staat nog open. Betaal die vandaag nog via {{ links.pay }}';
/** Its short form: the amount and the link, whatever the name. */
const shortText = 'Factuur {{ invoice.amount | money: invoice.currency }} open. Betaal: {{ links.pay }}';
function catalogWith(limit: number, short?: string): TemplateCatalog {
  const friendly = {
    sms: { text: smsText, ...(short ? { short } : {}) },
    email: { subject: 'Herinnering', html: '<html><body>Herinnering</body></html>', text: 'Herinnering' },
  };
  return {
    templates: { 'payment-reminder': { nl: { friendly, firm: friendly, direct: friendly } } },
    info: { 'payment-reminder': { smsMaxSegments: limit } as TemplateInfo },
  };
}

const customer: CustomerProfile = {
  id: 'c-name',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: 'name@example.nl',
  phone: '+31612345678',
  name: { given: 'Sanne', family: 'de Vries' },
  preferences: { channel: 'sms' },
};
/** A name long enough to take the text past one part of 160 characters. */
const longName = { given: 'Maria-Magdalena Wilhelmina', family: 'van Oldenbarnevelt-Rijckevorsel' };

async function decide(who: CustomerProfile, limit = 3, short?: string) {
  const repository = new InMemoryRepository();
  repository.customers.set(who.id, who);
  const deps = {
    customers: repository,
    suppressions: repository,
    sends: repository,
    timeline: repository,
    policy,
    catalog: catalogWith(limit, short),
  };
  const plan = await decideAndRecordStep(deps, {
    runId: 'run-1',
    customer: who,
    segment: { segmentId: 'default', tone: 'friendly', reasons: [] },
    step,
    now: NOW,
    subject: stepInvoice,
  });
  return { plan, recorded: repository.timeline[0] };
}

describe('the decision prices the SMS the customer would get', () => {
  it('one part for a short name', async () => {
    const { plan } = await decide(customer);
    expect(plan).toMatchObject({ channel: 'sms', smsForm: 'normal', costUsd: smsPrice });
    expect(plan.reasons).toContain(`cost sms: 1 part, ${smsPrice} USD`);
  });

  it('two parts for a name that takes the text past 160 characters, in the recorded reasons too', async () => {
    const { plan, recorded } = await decide({ ...customer, name: longName });
    expect(plan).toMatchObject({ channel: 'sms', smsForm: 'normal' });
    expect(plan.costUsd).toBeCloseTo(2 * smsPrice, 10);
    const reason = `cost sms: 2 parts, ${Number((2 * smsPrice).toPrecision(6))} USD`;
    expect(plan.reasons).toContain(reason);
    expect(recorded?.reasons).toContain(reason);
  });

  it('uses the short text when the name takes the full one over its limit, priced by its parts', async () => {
    const { plan, recorded } = await decide({ ...customer, name: longName }, 1, shortText);
    expect(plan).toMatchObject({ channel: 'sms', smsForm: 'short', costUsd: smsPrice });
    expect(recorded?.reasons).toContain('sms: 2 parts over the limit of 1: short text used');
    expect(recorded?.reasons).toContain(`cost sms: 1 part, ${smsPrice} USD`);
  });

  it('sends the email instead when the name takes the SMS over its limit and the template has no short text', async () => {
    const { plan, recorded } = await decide({ ...customer, name: longName }, 1);
    expect(plan).toMatchObject({ channel: 'email', fallbacks: [] });
    expect(plan.smsForm).toBeUndefined();
    expect(recorded?.reasons).toContain('sms: 2 parts over the limit of 1 (no short text): email instead');
  });

  it('skips as sms-too-long when SMS alone reaches the customer', async () => {
    const { email: _, ...smsOnly } = { ...customer, name: longName };
    const { plan, recorded } = await decide(smsOnly, 1);
    expect(plan).toMatchObject({ channel: null, skipped: 'sms-too-long' });
    expect(recorded).toMatchObject({
      outcome: 'skipped',
      summary: 'payment-reminder/first-reminder: skipped, sms-too-long',
    });
  });

  it('without the subject nothing is rendered: one part, as before', async () => {
    const repository = new InMemoryRepository();
    const plan = await decideAndRecordStep(
      { customers: repository, suppressions: repository, sends: repository, timeline: repository, policy },
      {
        runId: 'run-1',
        customer: { ...customer, name: longName },
        segment: { segmentId: 'default', tone: 'friendly', reasons: [] },
        step,
        now: NOW,
      },
    );
    expect(plan.reasons).toContain(`cost sms: 1 part, ${smsPrice} USD`);
  });
});
