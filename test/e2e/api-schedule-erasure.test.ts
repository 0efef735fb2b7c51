/**
 * The HTTP API beyond starting a journey, the scheduled batch and GDPR erasure, end to end on the
 * local runtime (the same handlers and ASL files as on AWS) — with every Powertools log line of the
 * run captured at INFO and scanned for the customers' personal data.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi, demoInvoice, recordInvoice } from '#infra/local/demo.ts';
import { demoCustomer, demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalExecution } from '#infra/local/journey-engine.ts';
import type { PausePoint } from '#infra/local/pause-points.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { dueDateSelectedAt, runsOf, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

// Logs at INFO, as a deployed stage would. Set before Powertools loads: its middleware resets the
// level to the initial one on every invocation, so `setLogLevel` would not last.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

// Three customers get a due invoice; the first is erased while its reminder journey waits.
const [erased, kept, third] = [demoCustomer('c-1001'), demoCustomer('c-1004'), demoCustomer('c-1006')];
const notDue = demoCustomer('c-1007');
const paidEarly = demoCustomer('c-1008');
const scheduled = [erased, kept, third];
const everyone = [...scheduled, notDue, paidEarly];

let stack: LocalStack;
// The wait from the notice to the due date holds the runs of `erased` and `kept`: they are read
// and erased mid-journey there.
let firstReminderWait: PausePoint;
const captured: string[] = [];
const restoreWrites: Array<() => void> = [];

/** Records what Powertools writes (it logs through its own Console on process.stdout/stderr). */
function captureOutput(stream: NodeJS.WriteStream) {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    captured.push(text);
    // Powertools lines are kept for the scan, not echoed: the test report stays readable.
    if (text.startsWith('{"level"')) return true;
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restoreWrites.push(() => {
    stream.write = original;
  });
}

const api = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => callApi(stack, method, path, body, headers);

const dueDate = () => dueDateSelectedAt(stack, simulationStart);
const invoiceOf = (customer: CustomerProfile) => ({
  ...demoInvoice(customer, demoCustomers.indexOf(customer), simulationStart),
  dueDate: dueDate(),
});

/** The customer's (only) journey run and its execution, once it is held in the wait before the first reminder. */
async function heldRunOf(customer: CustomerProfile) {
  const [run] = await stack.repository.listRuns(customer.id);
  const execution = stack.engine.describeExecution(run?.executionArn ?? '') as LocalExecution;
  await firstReminderWait.reached(execution);
  return { runId: run?.runId ?? '', execution };
}

beforeAll(async () => {
  captureOutput(process.stdout);
  captureOutput(process.stderr);
  stack = await startE2eStack();
  firstReminderWait = stack.engine.pauseAt('WaitForFirstReminder', runsOf(erased, kept));
});

afterAll(async () => {
  await stack?.stop();
  for (const restore of restoreWrites) restore();
});

describe('authentication', () => {
  it('refuses every route without the development credential, or with a wrong one', async () => {
    const none = await fetch(`${stack.apiUrl}/customers/${kept.id}`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${stack.apiUrl}/journeys/payment-reminder/runs`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-token', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
  });

  it('serves the OpenAPI document to anyone', async () => {
    const response = await fetch(`${stack.apiUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/customers/{customerId}/export');
  });
});

describe('customers, consents and preferences', () => {
  it('creates, reads and replaces profiles, keeping consents a replacement leaves out', async () => {
    for (const customer of everyone) {
      const { id: _id, ...profile } = customer;
      expect((await api('PUT', `/customers/${customer.id}`, profile)).status).toBe(201);
    }
    expect((await api('GET', `/customers/${erased.id}`)).body).toEqual(erased);
    const { consents: _consents, ...withoutConsents } = erased;
    const replaced = await api('PUT', `/customers/${erased.id}`, withoutConsents);
    expect(replaced.status).toBe(200);
    expect(replaced.body.consents).toEqual(erased.consents);
  });

  it('answers 404 for an unknown customer and 400 naming the fields of a bad profile', async () => {
    expect((await api('GET', '/customers/nobody')).status).toBe(404);
    const bad = await api('PUT', `/customers/${kept.id}`, { ...kept, id: 'someone-else', email: 'no' });
    expect(bad.status).toBe(400);
    expect((bad.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['email']);
    const mismatch = await api('PUT', `/customers/${kept.id}`, { ...kept, id: 'someone-else' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.issues).toEqual([{ path: 'id', message: expect.any(String) }]);
  });

  it('records a consent change per channel and purpose and shows it in the conversation', async () => {
    const change = {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      at: '2026-11-30T12:00:00Z',
      source: 'api',
    };
    const response = await api('PUT', `/customers/${kept.id}/consents`, { consents: [change] });
    expect(response.status).toBe(200);
    expect(response.body.consents).toEqual([change]);
    const timeline = await stack.repository.listTimeline(kept.id);
    expect(timeline.map((e) => e.summary)).toContain('consent granted: email/marketing (api)');
    const invalid = await api('PUT', `/customers/${kept.id}/consents`, {
      consents: [{ ...change, purpose: 'spam' }],
    });
    expect(invalid.status).toBe(400);
    expect((invalid.body.issues as Array<{ path: string }>)[0]?.path).toBe('consents.0.purpose');
  });

  it('replaces preferences and refuses unknown keys', async () => {
    const ok = await api('PUT', `/customers/${third.id}/preferences`, { channel: 'email' });
    expect(ok.body).toEqual({ customerId: third.id, preferences: { channel: 'email' } });
    expect((await api('GET', `/customers/${third.id}`)).body.preferences).toEqual({ channel: 'email' });
    const typo = await api('PUT', `/customers/${third.id}/preferences`, { chanel: 'sms' });
    expect(typo.status).toBe(400);
    expect((await api('PUT', '/customers/nobody/preferences', {})).status).toBe(404);
  });
});

describe('scheduled batch', () => {
  let firstSummary: Record<string, unknown>;

  it('selects the invoices due within three days through the index and starts one run each', async () => {
    for (const customer of scheduled) {
      expect((await recordInvoice(stack, customer.id, invoiceOf(customer))).status).toBe(202);
    }
    // Not due for a month: too early even for the notice. Paid before the batch: leaves the index.
    const nextMonth = new Date(simulationStart.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    await recordInvoice(stack, notDue.id, { ...invoiceOf(notDue), dueDate: nextMonth });
    await recordInvoice(stack, paidEarly.id, invoiceOf(paidEarly));
    await api('POST', `/customers/${paidEarly.id}/events`, {
      type: 'invoice.paid',
      subjectId: invoiceOf(paidEarly).id,
    });
    const badInvoice = await api('POST', `/customers/${notDue.id}/events`, {
      type: 'invoice.created',
      subjectId: 'INV-BAD',
      data: { amount: -1, currency: 'EUR', dueDate: 'soon', payUrl: 'https://pay.example.com/x' },
    });
    expect((badInvoice.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      'data.amount',
      'data.dueDate',
    ]);

    const batch = await stack.fireSchedule('payment-reminder');
    expect(batch.status, batch.cause).toBe('SUCCEEDED');
    firstSummary = JSON.parse(batch.output ?? '{}');
    expect(firstSummary).toEqual({ pages: 1, selected: 3, started: 3, alreadyStarted: 0, skipped: {} });
    // One page: the select after the Map adds its batch results, reads nothing more and ends the batch.
    expect(batch.statesEntered).toEqual([
      'PrepareBatch',
      'SelectDueInvoices',
      'AreMoreInvoicesDue',
      'StartJourneyRuns',
      'StartRunsOfBatch',
      'SelectDueInvoices',
      'AreMoreInvoicesDue',
      'BatchDone',
    ]);
  });

  it('shows a run’s status, current step and decisions so far, and 404 for an unknown run', async () => {
    const [run] = await stack.repository.listRuns(kept.id);
    expect(run?.subjectId).toBe(invoiceOf(kept).id);
    const { runId } = await heldRunOf(kept);
    const waiting = await api('GET', `/runs/${runId}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({
      runId,
      customerId: kept.id,
      execution: { status: 'RUNNING' },
      currentStep: 'WaitForFirstReminder',
    });
    const decisions = waiting.body.decisions as Array<{ kind: string; outcome?: string; reasons?: string[] }>;
    // The provider's report on the reminder belongs to the run too (the local feedback loop delivers it).
    expect(decisions.map((d) => d.kind)).toEqual(['journey', 'decision', 'message', 'delivery']);
    expect(decisions[1]?.reasons?.length).toBeGreaterThan(0);
    expect(decisions[2]?.outcome).toBe('sent');
    expect(decisions[3]?.outcome).toBe('delivered');
    expect(JSON.stringify(decisions)).not.toContain('"body"');
    expect((await api('GET', '/runs/no-such-run')).status).toBe(404);
    expect((await api('GET', '/runs/not a run id')).status).toBe(400);
  });

  it('exports every item kept about a customer', async () => {
    const exported = await api('GET', `/customers/${kept.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({
      customerId: kept.id,
      profile: { id: kept.id, email: kept.email },
      events: [expect.objectContaining({ type: 'invoice.created' })],
      subjects: [
        expect.objectContaining({ status: 'open', invoice: expect.objectContaining({ dueDate: dueDate() }) }),
      ],
      runs: [expect.objectContaining({ journeyId: 'payment-reminder' })],
      sends: [expect.objectContaining({ status: 'sent' })],
    });
    expect((exported.body.timeline as unknown[]).length).toBeGreaterThanOrEqual(4);
    expect((await api('GET', '/customers/nobody/export')).status).toBe(404);
  });

  it('erases a customer: stops the running journey, deletes every item, keeps only address hashes', async () => {
    const { execution } = await heldRunOf(erased);
    const response = await api('DELETE', `/customers/${erased.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ customerId: erased.id, stoppedRuns: 1, suppressedAddresses: 2 });
    expect((response.body.deletedItems as number) > 5).toBe(true);
    expect(execution.status).toBe('ABORTED');
    // The kept customer's run goes on.
    firstReminderWait.release();
    await stack.engine.whenIdle();

    const { Items = [] } = await stack.dynamoClient.send(new ScanCommand({ TableName: stack.tableName }));
    const items = Items.map((item) => unmarshall(item));
    expect(items.filter((item) => String(item.pk).includes(erased.id))).toEqual([]);
    const dump = JSON.stringify(items);
    for (const value of [erased.email, erased.phone, erased.name?.given, erased.name?.family, erased.id]) {
      expect(dump).not.toContain(value);
    }
    expect(await stack.repository.isSuppressed('email', erased.email as string)).toBe(true);
    expect(await stack.repository.isSuppressed('sms', erased.phone as string)).toBe(true);
    expect((await api('GET', `/customers/${erased.id}`)).status).toBe(404);
    expect((await api('DELETE', `/customers/${erased.id}`)).status).toBe(404);
    // The stopped run sent its notice before the due date only.
    const sms = stack.sms.messages().filter((m) => m.phoneNumber === erased.phone);
    expect(sms).toHaveLength(1);
  });

  it('starts nothing twice when the schedule fires again', async () => {
    const again = await stack.fireSchedule(
      'payment-reminder',
      new Date(simulationStart.getTime() + 3_600_000),
    );
    expect(JSON.parse(again.output ?? '{}')).toEqual({
      pages: 1,
      selected: 2,
      started: 0,
      alreadyStarted: 2,
      skipped: {},
    });
    const nextDay = await stack.fireSchedule(
      'payment-reminder',
      new Date(simulationStart.getTime() + 86_400_000),
    );
    expect(JSON.parse(nextDay.output ?? '{}')).toMatchObject({
      selected: 2,
      started: 0,
      skipped: { 'journey already started for this invoice on an earlier day': 2 },
    });
    await stack.engine.whenIdle();
    const journeyRuns = stack.engine
      .listExecutions()
      .filter((e) => e.stateMachineArn === stack.journeyArns['payment-reminder']);
    expect(journeyRuns).toHaveLength(3);
  });

  it('answers 409 when an idempotency key is reused for another customer', async () => {
    const request = (customer: CustomerProfile) => ({
      customerId: customer.id,
      subject: invoiceOf(customer),
    });
    const first = await api('POST', '/journeys/payment-reminder/runs', request(kept), {
      'idempotency-key': 'k-409',
    });
    expect(first.status).toBe(201);
    const other = await api('POST', '/journeys/payment-reminder/runs', request(third), {
      'idempotency-key': 'k-409',
    });
    expect(other.status).toBe(409);
    await stack.engine.whenIdle();
  });
});

describe('logs', () => {
  it('carry the run id as correlation id and no personal data of any customer', async () => {
    await stack.engine.whenIdle();
    const lines = captured
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"service":"klantreis"'));
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((line) => line.includes('"message":"message sent"') && line.includes('"runId"'))).toBe(
      true,
    );
    // Provider feedback finds its run through the send it is about.
    expect(
      lines.some((line) => line.includes('"message":"email feedback recorded"') && line.includes('"runId"')),
    ).toBe(true);
    const output = lines.join('\n');
    for (const customer of everyone) {
      for (const value of [customer.email, customer.phone, customer.name?.given, customer.name?.family]) {
        if (value) expect(output, `log output contains ${customer.id}'s data`).not.toContain(value);
      }
    }
  });
});
