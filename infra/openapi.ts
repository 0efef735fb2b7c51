/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas each routed handler
 * parses with (its `apiDoc` export) and the routes of the catalog: one source, no drift. Served
 * locally at `/openapi.json`; `npm run openapi` writes it to `dist/openapi.json`.
 */
import * as z from 'zod/mini';
import { type ApiDoc, ErrorBodySchema } from '#application/api-doc.ts';
import { type HandlerSpec, handlers } from '#catalog/catalog.ts';

type JsonObject = Record<string, unknown>;

export interface RoutedHandler {
  id: string;
  route: NonNullable<HandlerSpec['route']>;
  apiDoc: ApiDoc | undefined;
}

/** Returns every routed catalog handler with the `apiDoc` its module exports (undefined when it has none). */
export async function loadRoutedHandlers(): Promise<RoutedHandler[]> {
  const specs: readonly HandlerSpec[] = handlers;
  const routed: RoutedHandler[] = [];
  for (const spec of specs) {
    if (!spec.route) continue;
    const module = (await import(`#handlers/${spec.id}.ts`)) as { apiDoc?: ApiDoc };
    routed.push({ id: spec.id, route: spec.route, apiDoc: module.apiDoc });
  }
  return routed;
}

/** Returns the JSON Schema of what a request may send (zod input side), without the `$schema` line. */
function jsonSchemaOf(schema: z.ZodMiniType): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

function isOptional(schema: z.ZodMiniType): boolean {
  return schema.safeParse(undefined).success;
}

function parametersOf(doc: ApiDoc): JsonObject[] {
  const path = Object.entries(doc.params?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchemaOf(schema as z.ZodMiniType),
  }));
  const headers = Object.entries(doc.headers?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'header',
    required: !isOptional(schema as z.ZodMiniType),
    schema: jsonSchemaOf(schema as z.ZodMiniType),
  }));
  const query = Object.entries(doc.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !isOptional(schema as z.ZodMiniType),
    schema: jsonSchemaOf(schema as z.ZodMiniType),
  }));
  return [...path, ...query, ...headers];
}

/** The body's JSON Schema with the handler's cross-field rules as `if`/`then` (JSON Schema 2020-12, OpenAPI 3.1). */
function bodySchemaOf(doc: ApiDoc, body: z.ZodMiniType): JsonObject {
  const schema = jsonSchemaOf(body);
  if (!doc.bodyRules?.length) return schema;
  return {
    ...schema,
    allOf: doc.bodyRules.map((rule) => ({
      description: rule.description,
      if: jsonSchemaOf(rule.when),
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword in a document, never awaited
      then: jsonSchemaOf(rule.requires),
    })),
  };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: jsonSchemaOf(ErrorBodySchema) } },
});

function operationOf(handler: RoutedHandler & { apiDoc: ApiDoc }): JsonObject {
  const doc = handler.apiDoc;
  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = response.html
      ? {
          description: response.description,
          content: {
            'text/html': { schema: { type: 'string' } },
            ...(response.alsoError ? { 'application/json': { schema: jsonSchemaOf(ErrorBodySchema) } } : {}),
          },
        }
      : response.schema
        ? {
            description: response.description,
            content: { 'application/json': { schema: jsonSchemaOf(response.schema) } },
          }
        : errorResponse(response.description);
  }
  responses['400'] ??= errorResponse('Invalid request: `issues` names every failing field');
  if (!handler.route.public) responses['401'] ??= errorResponse('Missing or invalid credentials');
  if (doc.body) responses['413'] ??= errorResponse('Request body larger than 64 KB');
  if (doc.body && !doc.bodyMediaType) {
    responses['415'] ??= errorResponse('The body is not JSON: send `Content-Type: application/json`');
  }
  responses['500'] ??= errorResponse('Internal error (no details)');
  return {
    operationId: handler.id,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    parameters: parametersOf(doc),
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            content: { [doc.bodyMediaType ?? 'application/json']: { schema: bodySchemaOf(doc, doc.body) } },
          },
        }
      : {}),
    responses,
    // Public routes (token-verified links) take no credentials; the rest take the stage's one.
    ...(handler.route.public ? { security: [] } : {}),
  };
}

/** Returns the OpenAPI document; throws naming every routed handler without an `apiDoc`. */
export function openApiDocument(
  routed: readonly RoutedHandler[],
  options: { version?: string } = {},
): JsonObject {
  const missing = routed.filter((h) => !h.apiDoc).map((h) => h.id);
  if (missing.length > 0) {
    throw new Error(`routed handlers without an apiDoc export: ${missing.join(', ')}`);
  }
  const paths: Record<string, JsonObject> = {};
  for (const handler of routed) {
    const item = paths[handler.route.path] ?? {};
    paths[handler.route.path] = item;
    item[handler.route.method.toLowerCase()] = operationOf(handler as RoutedHandler & { apiDoc: ApiDoc });
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Klantreis HTTP API',
      version: options.version ?? '0.1.0',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      description:
        'Start journeys, record events, manage customers, consents and preferences, and answer GDPR access and ' +
        'erasure requests. Authorization is IAM (SigV4) or a JWT, chosen per stage; locally a development bearer token.',
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployed stage: the stack output `ApiUrl`',
        variables: {
          apiId: { default: 'abcde12345', description: 'The HTTP API’s id' },
          region: { default: 'eu-west-1', description: 'The stage’s AWS region' },
        },
      },
      {
        url: 'http://127.0.0.1:{port}',
        description: 'The local runtime (`npm start`)',
        variables: { port: { default: '4010', description: 'The API’s port: `--port-base`' } },
      },
    ],
    components: {
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'AWS Signature Version 4 (stages with apiAuthorization "iam")',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT from the stage’s issuer (apiAuthorization "jwt"); locally the printed development token',
        },
      },
    },
    security: [{ sigv4: [] }, { bearer: [] }],
    paths,
  };
}
