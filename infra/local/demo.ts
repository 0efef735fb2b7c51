import { DateTime } from 'luxon';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import type { TimelineEntry } from '#core/ports.ts';
import account, { type AccountSubject } from '#subjects/account.ts';
import appointment, { type AppointmentSubject } from '#subjects/appointment.ts';
import invoice, { type InvoiceSubject } from '#subjects/invoice.ts';
import type { LocalStack } from './runtime.ts';

/** The demo's invoice for a customer: deterministic, in the customer's currency, overdue by five days unless told. */
export function demoInvoice(
  customer: CustomerProfile,
  index: number,
  simulationStart: Date,
  dueInDays = -5,
): InvoiceSubject {
  const due = new Date(simulationStart.getTime() + dueInDays * 24 * 3600 * 1000);
  // The invoice module's sample: due that day, in the customer's currency, its amount varied by index.
  return invoice.sample({
    id: `INV-2026-${String(1001 + index)}`,
    now: due,
    country: customer.country,
    variant: index,
  });
}

/** Demo customers whose invoice is due in three days: the demo shows the notice before the due date too. */
const DUE_SOON = new Set(['c-1009', 'c-1020']);

/** The `npm start` demo's invoices by customer id: overdue, except those of `DUE_SOON`. */
export function demoInvoices(
  customers: readonly CustomerProfile[],
  simulationStart: Date,
): Map<string, InvoiceSubject> {
  return new Map(
    customers.map((c, i) => [c.id, demoInvoice(c, i, simulationStart, DUE_SOON.has(c.id) ? 3 : -5)]),
  );
}

export async function seedCustomers(stack: LocalStack, customers: readonly CustomerProfile[]): Promise<void> {
  const at = stack.clock.now();
  await Promise.all(customers.map((customer) => stack.repository.putCustomer(customer, at)));
}

/**
 * Calls the local HTTP API as an integrating system would, with the development credential, and
 * returns the status and the parsed JSON body.
 */
export async function callApi(
  stack: Pick<LocalStack, 'apiUrl' | 'apiToken'>,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.apiToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function post(stack: LocalStack, path: string, body: unknown, headers: Record<string, string> = {}) {
  return callApi(stack, 'POST', path, body, headers);
}

/** Starts a journey about `subject` for a customer through the HTTP API, as an integrating system would. */
export async function startJourney(
  stack: Pick<LocalStack, 'apiUrl' | 'apiToken'>,
  journeyId: string,
  customerId: string,
  subject: JourneySubject,
) {
  return callApi(
    stack,
    'POST',
    `/journeys/${encodeURIComponent(journeyId)}/runs`,
    { customerId, subject },
    { 'idempotency-key': `${customerId}-${subject.id}`.replace(/[^A-Za-z0-9_-]/g, '-') },
  );
}

/** Starts the payment reminder for a customer through the HTTP API, as an integrating system would. */
export async function startPaymentReminder(stack: LocalStack, customerId: string, invoice: InvoiceSubject) {
  return startJourney(stack, 'payment-reminder', customerId, invoice);
}

/** The demo's portal account for a customer (onboarding): activation link on the demo portal. */
export function demoAccount(customer: CustomerProfile): AccountSubject {
  return account.sample({ id: `ACC-${customer.id}`, now: new Date(0) });
}

/** Returns `startsAt` for a visit `inDays` after `from`, at 10:30 at the (Dutch) station, with its offset. */
export function visitTime(from: Date, inDays: number): string {
  return (
    DateTime.fromJSDate(from, { zone: 'Europe/Amsterdam' })
      .plus({ days: inDays })
      .set({ hour: 10, minute: 30, second: 0, millisecond: 0 })
      .toISO({ suppressMilliseconds: true }) ?? ''
  );
}

/** The demo's inspection visit for a customer (appointment journey). */
export function demoAppointment(customer: CustomerProfile, from: Date, inDays: number): AppointmentSubject {
  return {
    ...appointment.sample({ id: `APT-${customer.id}`, now: from }),
    startsAt: visitTime(from, inDays),
  };
}

/** Records a behaviour or business event through the HTTP API (`POST /customers/{id}/events`). */
export async function recordEvent(
  stack: Pick<LocalStack, 'apiUrl' | 'apiToken'>,
  customerId: string,
  event: { type: string; subjectId?: string; occurredAt?: Date; data?: Record<string, unknown> },
) {
  const { occurredAt, ...rest } = event;
  return callApi(stack, 'POST', `/customers/${encodeURIComponent(customerId)}/events`, {
    ...rest,
    ...(occurredAt ? { occurredAt: occurredAt.toISOString() } : {}),
  });
}

/** Records an invoice payment through the HTTP API. */
export async function recordPayment(
  stack: LocalStack,
  customerId: string,
  invoiceId: string,
  occurredAt?: Date,
) {
  return post(stack, `/customers/${encodeURIComponent(customerId)}/events`, {
    type: 'invoice.paid',
    subjectId: invoiceId,
    ...(occurredAt ? { occurredAt: occurredAt.toISOString() } : {}),
  });
}

/** Records an invoice through the HTTP API (`invoice.created` with its details): the scheduled batch finds it once due. */
export async function recordInvoice(stack: LocalStack, customerId: string, invoice: InvoiceSubject) {
  const { type: _type, id, ...data } = invoice;
  return post(stack, `/customers/${encodeURIComponent(customerId)}/events`, {
    type: 'invoice.created',
    subjectId: id,
    data,
  });
}

/** Sends an SMS to Klantreis from this number through the SMS outbox, as a customer replying would. */
export async function replyBySms(stack: LocalStack, from: string, text: string) {
  // The outbox's emulator endpoint stands in for the carrier, not the HTTP API: no credential.
  const response = await fetch(`${stack.smsUrl}/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, text }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `3 Delivery, 1 Bounce, …`: the provider events the local feedback loop delivered. */
export function describeFeedback(delivered: ReadonlyMap<string, number>): string {
  const parts = [...delivered].map(([kind, count]) => `${count} ${kind}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export type ConversationEntry = Omit<TimelineEntry, 'customerId'>;

/** Returns the customer's whole conversation through `GET /customers/{id}/conversation`, newest first. */
export async function readConversation(
  stack: Pick<LocalStack, 'apiUrl' | 'apiToken'>,
  customerId: string,
): Promise<ConversationEntry[]> {
  const items: ConversationEntry[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await callApi(
      stack,
      'GET',
      `/customers/${encodeURIComponent(customerId)}/conversation${query}`,
    );
    if (page.status !== 200) throw new Error(`conversation of ${customerId}: HTTP ${page.status}`);
    items.push(...(page.body.items as ConversationEntry[]));
    cursor = (page.body.nextCursor as string | null) ?? null;
  } while (cursor);
  return items;
}

/** Returns the ids of the journey runs a conversation (newest first) names, oldest first. */
export function runIdsIn(conversation: readonly ConversationEntry[]): string[] {
  const oldestFirst = [...conversation].reverse();
  return [...new Set(oldestFirst.flatMap((e) => (e.kind === 'journey' && e.runId ? [e.runId] : [])))];
}
