/**
 * How a schema problem reads: the field as written, what was written, and the nearest valid key or value.
 */

import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { formatIssue, knownKeysAt, schemaIssues } from '#infra/content/content-issue.ts';

const Schema = z.strictObject({
  kind: z.optional(z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('before') })])),
  byPurpose: z.optional(z.record(z.enum(['service', 'marketing']), z.number())),
  hours: z.optional(z.number().check(z.positive(), z.lte(168))),
  at: z.optional(z.iso.datetime({ offset: true })),
  items: z.optional(z.array(z.string()).check(z.minLength(1))),
  wake: z.optional(
    z.union([z.strictObject({ afterHours: z.number() }), z.strictObject({ visit: z.enum(['reminder']) })]),
  ),
});
const linesOf = (value: unknown) =>
  schemaIssues(Schema, value, { file: 'f.json', where: 'state S', field: ['step'] }).map(formatIssue);

describe('content issues from a schema', () => {
  it('lists the keys an object takes, unions and records with listed keys included', () => {
    expect(knownKeysAt(Schema, [])).toEqual(['kind', 'byPurpose', 'hours', 'at', 'items', 'wake']);
    expect(knownKeysAt(Schema, ['wake'])).toEqual(['afterHours', 'visit']);
    expect(knownKeysAt(Schema, ['byPurpose'])).toEqual(['service', 'marketing']);
  });

  it('names the value written and the bound or format it misses', () => {
    expect(linesOf({ hours: 0, at: '2026-12-01', items: [], kind: { kind: 'befor' } })).toEqual([
      'f.json: state S: step.kind.kind: must be "before", got "befor"',
      'f.json: state S: step.hours: must be > 0, got 0',
      'f.json: state S: step.at: "2026-12-01" is not an ISO date-time with offset (2026-12-01T09:00:00+01:00)',
      'f.json: state S: step.items: must have at least 1 item(s), got []',
    ]);
  });

  it('suggests a listed record key and the option of a union the value comes nearest to', () => {
    expect(linesOf({ byPurpose: { service: 1, marketting: 2 }, wake: { visit: 'remindr' } })).toEqual([
      'f.json: state S: step.byPurpose.marketting: unknown key — did you mean "marketing"? (marketing is required)',
      'f.json: state S: step.wake.visit: must be "reminder", got "remindr"',
    ]);
  });
});
