/**
 * The API's 400 bodies name each failing field with zod's English message. zod/mini carries no
 * messages of its own (`functions/adapters/zod-english.ts` loads them): these are the bodies zod classic
 * gives, word for word, for the request bodies of the routed handlers.
 */
import { describe, expect, it } from 'vitest';
import { HttpError, parseBody } from '#application/http.ts';
import * as putCustomer from '#handlers/put-customer.ts';
import * as recordEvent from '#handlers/record-event.ts';
import * as setConsents from '#handlers/set-consents.ts';
import * as setPreferences from '#handlers/set-preferences.ts';
import * as startJourney from '#handlers/start-journey.ts';

/** Returns the `issues` of the 400 the API answers for this body. */
function issuesFor(schema: Parameters<typeof parseBody>[1] | undefined, body: unknown) {
  if (!schema) throw new Error('no body schema');
  try {
    parseBody(
      {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      } as unknown as Parameters<typeof parseBody>[0],
      schema,
    );
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 400) return error.issues;
    throw error;
  }
  throw new Error('accepted');
}

describe('400 bodies: field paths and English messages', () => {
  it('put-customer', () => {
    expect(
      issuesFor(putCustomer.PutCustomerBody, {
        id: '',
        locale: 'x',
        country: 'nl',
        email: 'not-an-email',
        phone: 5,
        extra: 1,
        consents: { email: 'maybe' },
        birthDate: '1980-13-01',
      }),
    ).toEqual([
      { path: 'id', message: 'Too small: expected string to have >=1 characters' },
      { path: 'id', message: 'letters, digits and . _ : - only' },
      { path: 'birthDate', message: 'Invalid ISO date' },
      { path: 'locale', message: 'a BCP 47 tag such as nl-NL' },
      { path: 'country', message: 'an ISO 3166-1 alpha-2 code such as NL' },
      { path: 'email', message: 'Invalid email address' },
      { path: 'phone', message: 'Invalid input: expected string, received number' },
      { path: 'consents', message: 'Invalid input: expected array, received object' },
    ]);
  });
  it('set-preferences', () => {
    expect(
      issuesFor(setPreferences.SetPreferencesBody, { chanel: 'email', byPurpose: { service: 'fax' } }),
    ).toEqual([
      {
        path: 'byPurpose.service',
        message: 'Invalid option: expected one of "email"|"sms"|"letter"|"phone"',
      },
      { path: 'chanel', message: 'Unrecognized key: "chanel"' },
    ]);
  });
  it('set-consents', () => {
    expect(issuesFor(setConsents.apiDoc.body, { email: 'yes' })).toEqual([
      { path: 'consents', message: 'Invalid input: expected array, received undefined' },
    ]);
  });
  it('record-event', () => {
    expect(
      issuesFor(recordEvent.apiDoc.body, { type: 'nope', occurredAt: 'yesterday', data: { a: [] } }),
    ).toEqual([
      {
        path: 'type',
        message: `Invalid option: expected one of ${recordEvent.RecordEventBody.shape.type.options.map((t) => `"${t}"`).join('|')}`,
      },
      { path: 'occurredAt', message: 'Invalid ISO datetime' },
      { path: 'data.a', message: 'Invalid input' },
    ]);
  });
  it('start-journey', () => {
    expect(
      issuesFor(startJourney.apiDoc.body, {
        customerId: '',
        subject: { type: 'invoice', id: '', amount: -1, currency: 'EURO', dueDate: '2026-02-30' },
      }),
    ).toEqual([
      { path: 'customerId', message: 'Too small: expected string to have >=1 characters' },
      { path: 'subject.id', message: 'Too small: expected string to have >=1 characters' },
      { path: 'subject.amount', message: 'Too small: expected number to be >0' },
      { path: 'subject.currency', message: 'an ISO 4217 currency code such as EUR' },
      { path: 'subject.dueDate', message: 'Invalid ISO date' },
      { path: 'subject.payUrl', message: 'Invalid input: expected string, received undefined' },
    ]);
  });
});
