import { describe, expect, it } from 'vitest';
import { handlers } from '#catalog/catalog.ts';
import { loadRoutedHandlers, openApiDocument } from '#infra/openapi.ts';
import { subjects } from '#subjects/registry.ts';

type Operation = {
  parameters: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
};

describe('OpenAPI document', () => {
  it('has an operation for every catalog route, generated from the handler’s own schemas', async () => {
    const document = openApiDocument(await loadRoutedHandlers()) as {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const routes = handlers.flatMap((h) => ('route' in h ? [h.route] : []));
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(operation?.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(pathParams);
      expect(Object.keys(operation?.responses ?? {})).toContain('400');
      if (route.method === 'PUT' || route.method === 'POST') expect(operation?.requestBody).toBeDefined();
    }
  });

  it('describes the start-journey body field by field, as the handler validates it', async () => {
    const document = openApiDocument(await loadRoutedHandlers()) as {
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const schema = document.paths['/journeys/{journeyId}/runs']?.post?.requestBody.content['application/json']
      ?.schema as {
      required: string[];
      properties: Record<string, { oneOf?: Array<{ properties?: Record<string, unknown> }> }>;
    };
    expect(schema.required).toEqual(expect.arrayContaining(['customerId', 'subject']));
    // One shape per subject type, with the fields of its module's sample.
    const shapes = (schema.properties.subject?.oneOf ?? []).map((s) => Object.keys(s.properties ?? {}));
    expect(shapes).toEqual(
      subjects.specs.map((spec) =>
        expect.arrayContaining(
          Object.keys(spec.sample({ id: 'S-1', now: new Date('2026-12-01T09:00:00Z') })),
        ),
      ),
    );
    expect(shapes).toContainEqual(expect.arrayContaining(['amount', 'currency', 'dueDate', 'payUrl']));
  });

  it('documents the conversation route with its paging parameters, behind credentials', async () => {
    const document = openApiDocument(await loadRoutedHandlers()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operation = document.paths['/customers/{customerId}/conversation']?.get;
    expect(operation?.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'path:customerId:true',
      'query:limit:false',
      'query:cursor:false',
    ]);
    expect(operation?.security).toBeUndefined();
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '404']));
  });

  it('refuses to document a routed handler without an apiDoc', () => {
    expect(() =>
      openApiDocument([{ id: 'mystery', route: { method: 'GET', path: '/mystery' }, apiDoc: undefined }]),
    ).toThrow(/mystery/);
  });

  it('marks public routes as taking no credentials', () => {
    const document = openApiDocument([
      {
        id: 'unsubscribe',
        route: { method: 'GET', path: '/unsubscribe/{token}', public: true },
        apiDoc: { summary: 'Unsubscribe', responses: { 200: { description: 'Done' } } },
      },
    ]) as { paths: Record<string, Record<string, Operation>> };
    const operation = document.paths['/unsubscribe/{token}']?.get;
    expect(operation?.security).toEqual([]);
    expect(Object.keys(operation?.responses ?? {})).not.toContain('401');
  });
});

/** The value at a `|`-separated path of a JSON document (`paths|/runs|post`), or undefined. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('|')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

type Rule = { if: unknown; then: unknown };

describe('OpenAPI document: the contract the handlers enforce', () => {
  const documentOf = async () => openApiDocument(await loadRoutedHandlers());

  it('answers 415 on every JSON body route, and states the bounds of an amount and its currency', async () => {
    const document = await documentOf();
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (at(operation, 'requestBody|content|application/json') === undefined) continue;
        expect(Object.keys(at(operation, 'responses') as object), `${method} ${path}`).toContain('415');
      }
    }
    const subject = at(
      document,
      `paths|/journeys/{journeyId}/runs|post|requestBody|content|application/json|schema|properties|subject|oneOf|${subjects.types.indexOf('invoice')}`,
    );
    expect(at(subject, 'properties|amount|anyOf')).toEqual([
      expect.objectContaining({ type: 'string', pattern: expect.any(String) }),
      expect.objectContaining({ type: 'number', exclusiveMinimum: 0, maximum: 1_000_000_000_000 }),
    ]);
    const currencies = at(subject, 'properties|currency|enum');
    expect(currencies).toEqual(expect.arrayContaining(['EUR', 'JPY', 'KWD']));
    expect(currencies).not.toContain('XXX');
  });

  it('states record-event’s per-type rules: invoice.created with data needs the whole invoice', async () => {
    const document = await documentOf();
    const rules = at(
      document,
      'paths|/customers/{customerId}/events|post|requestBody|content|application/json|schema|allOf',
    ) as Rule[];
    const invoiceRule = rules.find((rule) => at(rule, 'if|properties|type|const') === 'invoice.created');
    expect(at(invoiceRule, 'then|properties|data|required')).toEqual([
      'amount',
      'currency',
      'dueDate',
      'payUrl',
    ]);
    const subjectRule = rules.find((rule) => (at(rule, 'then|required') as string[]).includes('subjectId'));
    expect(at(subjectRule, 'if|properties|type|enum')).toEqual(
      expect.arrayContaining(['invoice.paid', 'portal.activated']),
    );
  });

  it('documents the unsubscribe POST’s 400 as the page it answers with', async () => {
    const document = await documentOf();
    const content = at(document, 'paths|/unsubscribe|post|responses|400|content') as object;
    expect(Object.keys(content)).toEqual(['text/html', 'application/json']);
  });
});
