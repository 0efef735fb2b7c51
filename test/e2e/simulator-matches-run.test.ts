/**
 * The simulator plans what the run does: every demo customer's payment reminder runs on the local
 * runtime (nobody pays, nobody opens an email), and the simulator plans the same journey for the same
 * customer, invoice and start. Per customer, the messages the run sent and the simulator planned are the
 * same: step, channel and minute. The customers at SES's mailbox-simulator addresses get their
 * provider's bounce or complaint, which no plan can know in advance: the customer whose email is
 * delivered and then marked as spam gets the same steps at the same minutes, some on another channel.
 * The onboarding (nobody activates) and the appointment (a visit a week later) are compared alike, each
 * for its own copy of the customers, so one journey's messages do not press on another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import type { AslDefinition } from '#application/asl.ts';
import { journeyDefinitions } from '#application/journey-definitions.ts';
import { planJourney } from '#application/journey-plan.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import {
  demoAccount,
  demoAppointment,
  demoInvoices,
  seedCustomers,
  startJourney,
  startPaymentReminder,
} from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { customerViews, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const MAILBOX_SIMULATOR = /@simulator\.amazonses\.com$/;
const customers = demoCustomers.filter((c) => !MAILBOX_SIMULATOR.test(c.email ?? ''));
/** Delivered, then marked as spam: the address is suppressed and an email opt-out recorded. */
const complainer = demoCustomers.find(
  (c) => c.email === 'complaint@simulator.amazonses.com',
) as CustomerProfile;
const invoices = demoInvoices(demoCustomers, simulationStart);
/** The customers again, under ids of their own per journey, with that journey's subject. */
const otherJourneys = (['onboarding', 'appointment'] as const).map((journeyId) => {
  const copies = customers.map((c) => ({ ...c, id: `${c.id}-${journeyId}` }));
  const subjectOf = (c: CustomerProfile): JourneySubject =>
    journeyId === 'onboarding' ? demoAccount(c) : demoAppointment(c, simulationStart, 7);
  return { journeyId, customers: copies, subjectOf };
});

/** The templates the run renders: the plan counts each SMS as the run does. */
const catalog = loadTemplateCatalog(defaultTemplatesDir());

let stack: LocalStack;
const { readTimelines, sent } = customerViews(() => stack);
/** Each message as `step channel minute` (UTC, to the minute). */
const line = (step: string | undefined, channel: string | null | undefined, at: string) =>
  `${step} ${channel} ${at.slice(0, 16)}`;

beforeAll(async () => {
  // World time stands at the simulation's start: every run starts at the minute its plan starts from,
  // however long the machine takes to start them all.
  stack = await startE2eStack({ realClock: () => 0 });
  await seedCustomers(stack, [...customers, complainer, ...otherJourneys.flatMap((j) => j.customers)]);
  for (const customer of [...customers, complainer]) {
    const started = await startPaymentReminder(stack, customer.id, invoices.get(customer.id) as never);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  for (const journey of otherJourneys) {
    for (const customer of journey.customers) {
      const started = await startJourney(stack, journey.journeyId, customer.id, journey.subjectOf(customer));
      expect(started.status, JSON.stringify(started.body)).toBe(201);
    }
  }
  await stack.engine.whenIdle();
  await readTimelines([...customers, complainer, ...otherJourneys.flatMap((j) => j.customers)]);
});

afterAll(async () => {
  await stack?.stop();
});

/** The customer's messages as the simulator plans them for the run's own start and subject. */
async function plannedFor(
  customer: CustomerProfile,
  journeyId = 'payment-reminder',
  subject: JourneySubject | undefined = invoices.get(customer.id),
): Promise<Array<{ step: string; channel: string; at: string }>> {
  const [run] = await stack.repository.listRuns(customer.id);
  expect(run, customer.id).toBeDefined();
  const plan = planJourney({
    journeyId,
    definition: journeyDefinitions[journeyId] as AslDefinition,
    customer,
    policy: loadPolicy(),
    at: new Date(run?.startedAt ?? ''),
    subject,
    // Locally the SMS's short links are under the local API's address.
    content: { catalog, smsLinkBase: stack.apiUrl },
  });
  return plan.steps.flatMap((s) =>
    s.decision.channel && s.decision.sendAt && s.decision.skipped === null
      ? [{ step: s.step.stepId, channel: s.decision.channel, at: s.decision.sendAt }]
      : [],
  );
}

describe('the simulator plans what the payment reminder run does', () => {
  it('plans, per demo customer, the messages the run sent: same step, same channel, same minute', async () => {
    let compared = 0;
    for (const customer of customers) {
      const planned = (await plannedFor(customer)).map((p) => line(p.step, p.channel, p.at));
      const actual = sent(customer).map((e) => line(e.stepId, e.channel, e.at));
      expect(planned, customer.id).toEqual(actual);
      compared += actual.length;
    }
    // Every reachable customer got messages: the comparison is about real sends, not empty lists.
    expect(compared).toBeGreaterThan(customers.length * 2);
  });

  it('plans the notice before the due date for a customer whose invoice is not yet due, as the run sent it', () => {
    const early = customers.filter((c) => (invoices.get(c.id)?.dueDate ?? '') > '2026-12-01');
    expect(early.length).toBeGreaterThan(0);
    for (const customer of early) {
      expect(sent(customer)[0]?.stepId, customer.id).toBe('pre-due-notice');
    }
  });

  it('plans the same steps at the same minutes for the customer whose email is marked as spam', async () => {
    const planned = (await plannedFor(complainer)).map((p) => line(p.step, '', p.at));
    const actual = sent(complainer).map((e) => line(e.stepId, '', e.at));
    expect(actual.length).toBeGreaterThanOrEqual(3);
    expect(planned).toEqual(actual);
  });
});

describe('the simulator plans what the other journeys’ runs do', () => {
  for (const journey of otherJourneys) {
    it(`${journey.journeyId}: per customer, the same step, channel and minute`, async () => {
      let compared = 0;
      for (const customer of journey.customers) {
        const planned = (await plannedFor(customer, journey.journeyId, journey.subjectOf(customer))).map(
          (p) => line(p.step, p.channel, p.at),
        );
        const actual = sent(customer).map((e) => line(e.stepId, e.channel, e.at));
        expect(planned, customer.id).toEqual(actual);
        compared += actual.length;
      }
      expect(compared).toBeGreaterThan(journey.customers.length);
    });
  }
});
