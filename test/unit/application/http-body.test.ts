import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { HttpError, isJsonMediaType, parseBody } from '#application/http.ts';
import * as setPreferences from '#handlers/set-preferences.ts';

const Body = z.object({ n: z.optional(z.number()), data: z.optional(z.record(z.string(), z.number())) });

const eventOf = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  ({ body, headers, isBase64Encoded: false }) as unknown as APIGatewayProxyEventV2;

/** The refusal's status and issues, or the parsed body. */
function outcomeOf(event: APIGatewayProxyEventV2, schema: z.ZodMiniType = Body) {
  try {
    return { body: parseBody(event, schema) };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.statusCode, issues: error.issues };
  }
}

describe('JSON bodies: media type', () => {
  it('answers 415 for a body that is not declared JSON: text, a form, or no Content-Type', () => {
    for (const headers of [
      { 'content-type': 'text/plain' } as Record<string, string>,
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      {},
    ]) {
      expect(outcomeOf(eventOf('{"n":1}', headers)).status, JSON.stringify(headers)).toBe(415);
    }
  });

  it('takes application/json with parameters and the +json types, in any case', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON;charset=UTF-8',
      'application/merge-patch+json',
      'application/vnd.klantreis.v1+json; charset=utf-8',
    ]) {
      expect(isJsonMediaType(type), type).toBe(true);
      expect(outcomeOf(eventOf('{"n":1}', { 'Content-Type': type })).body, type).toEqual({ n: 1 });
    }
    for (const type of ['text/json', 'application/jsonp', 'application/json-seq', 'json']) {
      expect(isJsonMediaType(type), type).toBe(false);
    }
  });

  it('still reads an empty body without a Content-Type as {}, so the fields it lacks are named', () => {
    expect(outcomeOf(eventOf('', {}), z.object({ n: z.number() })).issues).toEqual([
      { path: 'n', message: 'Invalid input: expected number, received undefined' },
    ]);
  });
});

describe('JSON bodies: numbers are taken exactly or refused by name', () => {
  it('refuses a number a double would round, naming its field', () => {
    expect(outcomeOf(eventOf('{"n": 9007199254740993}'))).toEqual({
      status: 400,
      issues: [
        {
          path: 'n',
          message: 'a number with more digits than the API can keep exactly (about 15 significant digits)',
        },
      ],
    });
    expect(outcomeOf(eventOf('{"data": {"score": 0.1000000000000000055511151231257827}}')).issues).toEqual([
      expect.objectContaining({ path: 'data.score' }),
    ]);
  });

  it('keeps numbers written in any exact form', () => {
    expect(outcomeOf(eventOf('{"n": 12.50}')).body).toEqual({ n: 12.5 });
    expect(outcomeOf(eventOf('{"n": 1.25e1}')).body).toEqual({ n: 12.5 });
    expect(outcomeOf(eventOf('{"n": 9007199254740992}')).body).toEqual({ n: 2 ** 53 });
    expect(outcomeOf(eventOf('{"n": -0.0}')).body).toEqual({ n: -0 });
    expect(outcomeOf(eventOf('{"n": 1e308}')).body).toEqual({ n: 1e308 });
  });
});

describe('unknown fields', () => {
  it('are named by their own path, one issue each', () => {
    const event = eventOf(JSON.stringify({ chanel: 'email', byPurpose: { service: 'sms' }, tone: 'x' }));
    expect(outcomeOf(event, setPreferences.SetPreferencesBody).issues).toEqual([
      { path: 'chanel', message: 'Unrecognized key: "chanel"' },
      { path: 'tone', message: 'Unrecognized key: "tone"' },
    ]);
  });
});
