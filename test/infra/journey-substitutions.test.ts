import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlers, journeys, TABLE_NAME_SUBSTITUTION } from '#catalog/catalog.ts';
import {
  buildSubstitutions,
  handlersUsedBy,
  journeySubstitutionKeys,
  missingSubstitutions,
  placeholdersIn,
} from '#infra/journey-substitutions.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
/** Returns `${name}`, the ASL placeholder syntax. */
const ph = (name: string) => `\${${name}}`;
const localArn = (id: string) => `arn:aws:lambda:eu-west-1:000000000000:function:local-${id}`;

describe('journey substitutions (shared by CDK and the local runtime)', () => {
  it('has one key per journey-called handler plus the table name', () => {
    const keys = journeySubstitutionKeys();
    expect(keys).toContain(TABLE_NAME_SUBSTITUTION);
    expect(keys).toHaveLength(handlers.filter((h) => 'substitution' in h).length + 1);
  });

  it('fills each key with the ARN of its own handler', () => {
    const subs = buildSubstitutions(localArn, 'local-table');
    expect(subs).toMatchObject({
      RunJourneyStepFunctionArn: localArn('run-journey-step'),
      SelectDueInvoicesFunctionArn: localArn('select-due-invoices'),
      TableName: 'local-table',
    });
    expect(Object.keys(subs).sort()).toEqual(journeySubstitutionKeys().sort());
  });

  it.each(journeys.map((j) => [j.id, j.definitionFile]))(
    '%s uses only keys the map provides',
    (_id, file) => {
      const asl = readFileSync(join(repoRoot, file), 'utf8');
      expect(placeholdersIn(asl).length).toBeGreaterThan(0);
      expect(missingSubstitutions(asl, buildSubstitutions(localArn, 'local-table'))).toEqual([]);
    },
  );

  it('names a placeholder no handler provides', () => {
    const asl = JSON.stringify({
      A: ph('RunJourneyStepFunctionArn'),
      B: ph('SendMesageFunctionArn'),
      C: ph('TableName'),
    });
    expect(missingSubstitutions(asl, buildSubstitutions(localArn, 't'))).toEqual(['SendMesageFunctionArn']);
  });

  it('finds the handlers a journey calls, in catalog order', () => {
    const asl = JSON.stringify({
      A: ph('SelectDueInvoicesFunctionArn'),
      B: ph('RunJourneyStepFunctionArn'),
      C: ph('TableName'),
    });
    expect(handlersUsedBy(asl)).toEqual(['run-journey-step', 'select-due-invoices']);
  });
});
