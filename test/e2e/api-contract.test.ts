/**
 * The HTTP API's edges, through the local runtime's API server and DynamoDB emulator as an
 * integrating system meets them: media types, malformed paths, numbers and dates the store cannot
 * keep, unknown fields, and an export that matches its documented shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '#infra/local/demo.ts';
import { demoCustomer } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { subjects as subjectTypes } from '#subjects/registry.ts';
import { startE2eStack } from '../fixtures/e2e.ts';

const customer = demoCustomer('c-1001');
let stack: LocalStack;

beforeAll(async () => {
  stack = await startE2eStack();
  const created = await callApi(stack, 'PUT', `/customers/${customer.id}`, customer);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** A raw request with the development credential: the body is sent as given. */
async function send(method: string, path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiToken}`, ...headers },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

type ExportSchema = { properties: { subjects: { items: { properties: { status: { enum: string[] } } } } } };

const paths = (body: unknown) => ((body as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path);

describe('HTTP API contract on the local runtime', () => {
  it('answers 415 to a JSON route sent text, a form or no Content-Type, and takes JSON with a charset', async () => {
    const json = JSON.stringify({ type: 'email.opened' });
    for (const headers of [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    ]) {
      const refused = await send('POST', `/customers/${customer.id}/events`, json, headers);
      expect(refused.status).toBe(415);
      expect((refused.body as { error: string }).error).toMatch(/application\/json/);
    }
    // fetch labels a string body text/plain unless told: a Blob without a type sends no Content-Type.
    const untyped = await fetch(`${stack.apiUrl}/customers/${customer.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiToken}` },
      body: new Blob([json]),
    });
    expect(untyped.status).toBe(415);
    const taken = await send('POST', `/customers/${customer.id}/events`, json, {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(taken.status).toBe(202);
  });

  it('answers 400 JSON, not 500, to malformed percent-encoding in a path id', async () => {
    const response = await fetch(`${stack.apiUrl}/customers/%E0%A4%A/conversation`, {
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(paths(await response.json())).toEqual(['customerId']);
  });

  it('refuses numbers and dates the store cannot keep as sent, naming each field', async () => {
    const events = `/customers/${customer.id}/events`;
    const invoice = (data: string) =>
      `{"type":"invoice.created","subjectId":"INV-9","data":{"currency":"EUR","payUrl":"https://pay.example.com/9",${data}}}`;
    const cases: Array<[string, string[]]> = [
      [invoice('"amount":1e308,"dueDate":"2026-12-20"'), ['data.amount']],
      [invoice('"amount":0.001,"dueDate":"2026-12-20"'), ['data.amount']],
      [invoice('"amount":9007199254740993,"dueDate":"2026-12-20"'), ['data.amount']],
      [invoice('"amount":"12.50","dueDate":"1900-01-01"'), ['data.dueDate']],
      ['{"type":"email.opened","data":{"score":1e308}}', ['data.score']],
      ['{"type":"email.opened","data":{"tiny":1e-200}}', ['data.tiny']],
    ];
    for (const [body, expected] of cases) {
      const result = await send('POST', events, body, { 'content-type': 'application/json' });
      expect(result.status, body).toBe(400);
      expect(paths(result.body), body).toEqual(expected);
    }
  });

  it('names an unknown preference by its own key', async () => {
    const result = await callApi(stack, 'PUT', `/customers/${customer.id}/preferences`, { chanel: 'sms' });
    expect(result.status).toBe(400);
    expect(paths(result.body)).toEqual(['chanel']);
  });

  it('exports an invoice with its exact amount and an activated account, in the documented shape', async () => {
    const invoice = await callApi(stack, 'POST', `/customers/${customer.id}/events`, {
      type: 'invoice.created',
      subjectId: 'INV-1',
      data: { amount: 12.5, currency: 'EUR', dueDate: '2026-12-20', payUrl: 'https://pay.example.com/1' },
    });
    expect(invoice.status).toBe(202);
    const activated = await callApi(stack, 'POST', `/customers/${customer.id}/events`, {
      type: 'portal.activated',
      subjectId: 'ACC-1',
    });
    expect(activated.status).toBe(202);

    const exported = await callApi(stack, 'GET', `/customers/${customer.id}/export`);
    expect(exported.status).toBe(200);
    const subjects = (
      exported.body as { subjects: Array<{ subjectId: string; status: string; invoice?: unknown }> }
    ).subjects;
    expect(subjects.find((s) => s.subjectId === 'INV-1')?.invoice).toMatchObject({ amount: '12.50' });

    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content: Record<string, { schema: ExportSchema }> }> }>
      >;
    };
    const schema =
      document.paths['/customers/{customerId}/export']?.get?.responses['200']?.content['application/json']
        ?.schema;
    const documented = (schema as ExportSchema).properties.subjects.items.properties.status.enum;
    expect(documented).toEqual([...subjectTypes.statuses]);
    for (const subject of subjects) expect(documented).toContain(subject.status);
    expect(subjects.map((s) => s.status)).toContain('activated');
  });
});
