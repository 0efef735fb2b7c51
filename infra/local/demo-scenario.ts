/**
 * What happens to the demo customers after their payment reminders have started: onboarding and
 * appointment runs start, and customers act mid-run (pay, activate, reschedule, cancel, reply by
 * SMS) — all through the HTTP API and the SMS outbox, as an integrating system and the customers
 * would. Nothing here reads a journey's state names: it watches the conversation.
 */

import { DynamoShortLinkVisits } from '#adapters/dynamo/short-link-visits.ts';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { journeys } from '#catalog/catalog.ts';
import type { InvoiceSubject } from '#subjects/invoice.ts';
import {
  callApi,
  demoAccount,
  demoAppointment,
  readConversation,
  recordEvent,
  replyBySms,
  runIdsIn,
  startJourney,
  visitTime,
} from './demo.ts';
import {
  demoAppointments,
  demoCustomer,
  demoCustomers,
  demoOnboarding,
  demoPayers,
  demoReplies,
} from './demo-customers.ts';
import { type DemoRow, type RunView, summariseRun } from './demo-table.ts';
import type { LocalStack } from './runtime.ts';
import type { SendWatch } from './send-watch.ts';

const DAY_MS = 86_400_000;

export interface DemoPlay {
  /** Runs that could not start, with the API's answer (no personal data: ids and status). */
  notStarted: string[];
  /** Answers that ended no run though they should have, or never went out (no message named the subject). */
  missed: string[];
}

/**
 * Sets up the customers' answers, starts the payment reminders, then the onboarding and
 * appointment runs. Each answer goes out when the first message about its subject does: payers pay
 * and one customer activates the portal "a day later", one visit moves and one is cancelled, two
 * customers reply by SMS. Resolves once every journey has stopped.
 */
export async function playDemo(
  stack: LocalStack,
  options: {
    simulationStart: Date;
    invoices: ReadonlyMap<string, InvoiceSubject>;
    watch: SendWatch;
    /** Starts the payment reminders (through the API, or by firing the schedule): after the answers are set up. */
    startPaymentReminders: () => Promise<void>;
  },
): Promise<DemoPlay> {
  const notStarted: string[] = [];
  const missed: string[] = [];
  // An SMS names its invoice only in its pay link, which goes out short: the watch follows it.
  const shortLinks = new DynamoShortLinkVisits(
    createDynamoDbDocumentClient({ client: stack.dynamoClient }),
    stack.tableName,
  );
  options.watch.followShortLinksWith(async (code) =>
    (await shortLinks.findShortLinks(code)).map((link) => link.target),
  );
  const start = async (
    journeyId: string,
    customerId: string,
    subject: Parameters<typeof startJourney>[3],
  ) => {
    const started = await startJourney(stack, journeyId, customerId, subject);
    if (started.status !== 201) notStarted.push(`${journeyId} for ${customerId}: HTTP ${started.status}`);
  };
  const pending: Array<{ what: string; settled: boolean }> = [];
  /** Runs `action` the moment the first message to the customer naming `marker` goes out (see `SendWatch`). */
  const onFirstMessage = (customerId: string, marker: string, what: string, action: () => Promise<void>) => {
    const { email, phone } = demoCustomer(customerId);
    const addresses = [email, phone].filter((a): a is string => Boolean(a));
    const entry = { what: `${what} for ${customerId}`, settled: false };
    pending.push(entry);
    options.watch.once(addresses, marker, action).then(
      () => {
        entry.settled = true;
      },
      (error: Error) => {
        entry.settled = true;
        missed.push(`${entry.what}: ${error.message}`);
      },
    );
  };
  /** Records the event "a day after" the first message about its subject; notes it when it ended no run. */
  const answer = (
    customerId: string,
    event: { type: string; subjectId: string; data?: Record<string, unknown> },
    endsRun: boolean,
  ) =>
    onFirstMessage(customerId, event.subjectId, event.type, async () => {
      // Inside the journey's send step: the clock reads the run's simulated time.
      const occurredAt = new Date(stack.clock.now().getTime() + DAY_MS);
      const recorded = await recordEvent(stack, customerId, { ...event, occurredAt });
      if (recorded.status !== 202) missed.push(`${event.type} for ${customerId}: HTTP ${recorded.status}`);
      else if (endsRun && recorded.body.endedRuns !== 1) missed.push(`${event.type} for ${customerId}`);
    });

  for (const customerId of demoPayers) {
    const invoice = options.invoices.get(customerId);
    if (invoice) answer(customerId, { type: 'invoice.paid', subjectId: invoice.id }, true);
  }
  for (const { customerId } of demoOnboarding.filter((o) => o.activates))
    answer(
      customerId,
      { type: 'portal.activated', subjectId: demoAccount(demoCustomer(customerId)).id },
      true,
    );
  for (const { customerId, change } of demoAppointments) {
    const subjectId = demoAppointment(demoCustomer(customerId), options.simulationStart, 0).id;
    if (change?.kind === 'cancel') answer(customerId, { type: 'appointment.cancelled', subjectId }, true);
    if (change?.kind === 'reschedule') {
      const startsAt = visitTime(options.simulationStart, change.toInDays);
      answer(customerId, { type: 'appointment.rescheduled', subjectId, data: { startsAt } }, false);
    }
  }
  // Two customers answer the first reminder by SMS: a STOP (no SMS after it) and a question for a person.
  for (const { customerId, text } of demoReplies) {
    const phone = demoCustomer(customerId).phone;
    const invoice = options.invoices.get(customerId);
    if (phone && invoice)
      onFirstMessage(customerId, invoice.id, 'sms reply', async () => {
        await replyBySms(stack, phone, text);
      });
  }

  await options.startPaymentReminders();
  for (const { customerId } of demoOnboarding)
    await start('onboarding', customerId, demoAccount(demoCustomer(customerId)));
  for (const { customerId, inDays } of demoAppointments)
    await start(
      'appointment',
      customerId,
      demoAppointment(demoCustomer(customerId), options.simulationStart, inDays),
    );
  await stack.engine.whenIdle();
  for (const entry of pending) if (!entry.settled) missed.push(`${entry.what}: no message named its subject`);
  return { notStarted, missed };
}

/**
 * Returns one row per journey run of the demo customers, in catalog order of the journeys, read
 * through the HTTP API: the runs the conversation names, then `GET /runs/{runId}` for each.
 */
export async function demoRows(stack: Pick<LocalStack, 'apiUrl' | 'apiToken'>): Promise<DemoRow[]> {
  const rows: DemoRow[] = [];
  for (const customer of demoCustomers) {
    const conversation = await readConversation(stack, customer.id);
    for (const runId of runIdsIn(conversation)) {
      const run = await callApi(stack, 'GET', `/runs/${encodeURIComponent(runId)}`);
      if (run.status !== 200) throw new Error(`GET /runs/${runId}: HTTP ${run.status}`);
      rows.push(summariseRun(run.body as unknown as RunView, conversation));
    }
  }
  const order = journeys.map((j) => j.id as string);
  return rows.sort((a, b) => order.indexOf(a.journey) - order.indexOf(b.journey));
}
