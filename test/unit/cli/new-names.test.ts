import { describe, expect, it } from 'vitest';
import { journeyIdProblem, subjectTypeProblem, unknownName } from '#infra/cli/new-names.ts';

describe('the names klantreis new accepts', () => {
  it('takes a subject type of one lower-case word, and says why another is refused', () => {
    expect(subjectTypeProblem('contract')).toBeUndefined();
    expect(subjectTypeProblem('lease2')).toBeUndefined();
    expect(subjectTypeProblem('Contract')).toMatch(/one lower-case word/);
    expect(subjectTypeProblem('energy-contract')).toMatch(/one lower-case word/);
    expect(subjectTypeProblem('case')).toMatch(/reserved word/);
    expect(subjectTypeProblem(undefined)).toMatch(/klantreis new subject <type>/);
  });

  it('takes a journey id of lower-case words joined by single dashes', () => {
    expect(journeyIdProblem('contract-renewal')).toBeUndefined();
    for (const bad of [
      'Contract-renewal',
      'contract_renewal',
      'contract--renewal',
      '-renewal',
      'renewal-',
      '1st',
    ]) {
      expect(journeyIdProblem(bad), bad).toMatch(/lower-case words joined by single dashes/);
    }
  });

  it('suggests the nearest known name for a typo, and none for a name that is nothing like one', () => {
    const known = ['account', 'appointment', 'contract', 'invoice'];
    expect(unknownName('subject type', 'invocie', known)).toMatch(/did you mean "invoice"\?/);
    expect(unknownName('subject type', 'acount', known)).toMatch(/did you mean "account"\?/);
    expect(unknownName('subject type', 'contrat', known)).toBe(
      'unknown subject type "contrat" — did you mean "contract"? (known: account, appointment, contract, invoice)',
    );
    expect(unknownName('subject type', 'lease', known)).toBe(
      'unknown subject type "lease" (known: account, appointment, contract, invoice)',
    );
  });
});
