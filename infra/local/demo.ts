import { DateTime } from 'luxon';
import type { CustomerProfile } from '#core/customer.ts';
import type { InvoiceSubject } from '#core/journey-step.ts';
import type { LocalExecution } from './journey-engine.ts';
import type { LocalStack } from './runtime.ts';

/** The demo's invoice for a customer: deterministic, in the customer's currency, already overdue. */
export function demoInvoice(customer: CustomerProfile, index: number, simulationStart: Date): InvoiceSubject {
  const currency = customer.country === 'GB' ? 'GBP' : customer.country === 'US' ? 'USD' : 'EUR';
  const id = `INV-2026-${String(1001 + index)}`;
  const due = new Date(simulationStart.getTime() - 5 * 24 * 3600 * 1000);
  return {
    type: 'invoice',
    id,
    amount: Math.round((45 + ((index * 137) % 900) + 0.5) * 100) / 100,
    currency,
    dueDate: due.toISOString().slice(0, 10),
    payUrl: `https://pay.example.com/invoices/${id}`,
  };
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

/** Starts the payment reminder for a customer through the HTTP API, as an integrating system would. */
export async function startPaymentReminder(stack: LocalStack, customerId: string, invoice: InvoiceSubject) {
  return post(
    stack,
    '/journeys/payment-reminder/runs',
    { customerId, subject: invoice },
    { 'idempotency-key': `${customerId}-${invoice.id}`.replace(/[^A-Za-z0-9_-]/g, '-') },
  );
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

/**
 * Waits (real time, bounded) until the customer's first reminder has been sent and returns the
 * simulated time it went out: a payment recorded then lands between the two reminders.
 */
export async function waitForMessage(
  stack: LocalStack,
  customerId: string,
  stepId: string,
  timeoutMs = 10_000,
): Promise<Date> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const timeline = await stack.repository.listTimeline(customerId, 50);
    const sent = timeline.find((e) => e.kind === 'message' && e.stepId === stepId && e.outcome === 'sent');
    if (sent) return new Date(sent.at);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${stepId} message within ${timeoutMs} ms`);
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

interface Planned {
  channel: string | null;
  localSendAt: string | null;
  timezone: string | null;
  tone: string;
  step: { templateId: string };
  reasons: string[];
}

export interface DemoRow {
  customer: string;
  segment: string;
  firstReminder: string;
  secondReminder: string;
  /** Supporting-channel sends: after a refusal or an unread first email. */
  fallback: string;
  tone: string;
  outcome: string;
}

/** `email Tue 1 Dec 09:34 Amsterdam`: the channel and the send time on the customer's own clock. */
function describePlan(plan: Planned | undefined): string {
  if (!plan) return '—';
  if (!plan.channel || !plan.localSendAt) return 'none';
  const local = DateTime.fromISO(plan.localSendAt, { setZone: true }).setLocale('en-GB');
  const place = (plan.timezone ?? '').split('/').at(-1)?.replaceAll('_', ' ') ?? '';
  return `${plan.channel.padEnd(5)} ${local.toFormat('ccc d LLL HH:mm')} ${place}`.trimEnd();
}

/** One row per journey run, read from the execution's own output and path. */
export function summariseExecution(execution: LocalExecution): DemoRow {
  const input = JSON.parse(execution.input) as { customerId: string };
  const output = execution.output ? (JSON.parse(execution.output) as Record<string, unknown>) : {};
  const segment = (output.segment as { result?: { segmentId: string; tone: string } } | undefined)?.result;
  const first = (output.firstReminder as { plan?: { result: Planned } } | undefined)?.plan?.result;
  const second = (output.secondReminder as { plan?: { result: Planned } } | undefined)?.plan?.result;
  const fallbacks = (['firstReminderFallback', 'secondReminderFallback'] as const).flatMap((key, i) => {
    const plan = (output[key] as { plan?: { result: Planned } } | undefined)?.plan?.result;
    return plan ? [`${i === 0 ? '1st' : '2nd'}: ${describePlan(plan)}`] : [];
  });
  const entered = new Set(execution.statesEntered);
  const outcome =
    execution.status === 'ABORTED' && execution.cause?.startsWith('goal reached')
      ? 'paid: stopped at once, no further reminder'
      : execution.status !== 'SUCCEEDED'
        ? `${execution.status.toLowerCase()}: ${execution.error ?? ''}`
        : entered.has('InvoicePaid')
          ? 'paid: ended after the 1st reminder'
          : !first?.channel && !second?.channel
            ? `unreachable: ${first?.reasons.filter((r) => r.includes('dropped')).join('; ') ?? ''}`
            : !second?.channel
              ? `not paid: no 2nd reminder (${second?.reasons.filter((r) => r.includes('dropped')).join('; ') ?? ''})`
              : 'not paid: both reminders sent';
  const tones = [first, second].filter((p): p is Planned => Boolean(p?.channel)).map((p) => p.tone);
  return {
    customer: input.customerId,
    segment: segment?.segmentId ?? '—',
    firstReminder: describePlan(first),
    secondReminder: describePlan(second),
    fallback: fallbacks.join('; ') || '—',
    tone: tones.join(' → ') || '—',
    outcome,
  };
}

export function formatTable(rows: DemoRow[]): string {
  const headers: Record<keyof DemoRow, string> = {
    customer: 'customer',
    segment: 'segment',
    firstReminder: '1st reminder (local time)',
    secondReminder: '2nd reminder (local time)',
    fallback: 'supporting channel',
    tone: 'tone',
    outcome: 'outcome',
  };
  const keys = Object.keys(headers) as Array<keyof DemoRow>;
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(keys.map((k) => headers[k])),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => r[k]))),
  ].join('\n');
}
