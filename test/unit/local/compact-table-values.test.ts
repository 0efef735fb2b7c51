import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactJson } from '#infra/local/emulators/dynalite-store.ts';

/** A DynamoDB attribute value in its JSON form, nested as items nest them. */
const attributeValue: fc.Memo<unknown> = fc.memo((depth) =>
  depth <= 0
    ? fc.oneof(
        fc.record({ S: fc.string() }),
        fc.record({ N: fc.stringMatching(/^-?\d{1,12}(\.\d{1,4})?$/) }),
        fc.record({ BOOL: fc.boolean() }),
        fc.constant({ NULL: true }),
      )
    : fc.oneof(
        attributeValue(0),
        fc.record({ L: fc.array(attributeValue(depth - 1), { maxLength: 4 }) }),
        fc.record({
          M: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), attributeValue(depth - 1), {
            maxKeys: 4,
          }),
        }),
      ),
);

describe('the local table keeps an item compact', () => {
  it('reads back every item exactly as written, short or long, whatever its text holds', () => {
    const item = fc.record({
      pk: fc.record({ S: fc.constantFrom('CUSTOMER#c-1', 'RESULTEVENT#x', '{"S":"') }),
      sk: fc.record({ S: fc.string() }),
      entity: fc.record({ S: fc.constantFrom('timeline', 'send', '"},"', '\u0001\u0002') }),
      body: fc.oneof(attributeValue(3), fc.record({ S: fc.string({ minLength: 900, maxLength: 3000 }) })),
    });
    fc.assert(
      fc.property(item, (written) => {
        const stored = compactJson.encode(written);
        expect(compactJson.decode(stored)).toEqual(written);
      }),
    );
  });

  it('stores a typical conversation line in less than its JSON text, and a message body in much less', () => {
    const line = {
      pk: { S: 'CUSTOMER#c-1001' },
      sk: { S: 'TIMELINE#2026-12-01T08:00:00.000Z#msg-0123456789abcdef' },
      entity: { S: 'timeline' },
      kind: { S: 'message' },
      journeyId: { S: 'payment-reminder' },
      stepId: { S: 'first-reminder' },
      channel: { S: 'email' },
      outcome: { S: 'sent' },
      at: { S: '2026-12-01T08:00:00.000Z' },
      expiresAt: { N: '1799999999' },
    };
    const body = { ...line, body: { S: 'Beste klant, uw factuur staat nog open. '.repeat(50) } };
    expect(compactJson.encode(line).length).toBeLessThan(0.8 * JSON.stringify(line).length);
    expect(compactJson.encode(body).length).toBeLessThan(0.2 * JSON.stringify(body).length);
  });
});
