import { describe, expect, it } from 'vitest';
import { subjectTypesOf } from '#infra/cli/new.ts';
import { SubjectRegistry, subjects } from '#subjects/registry.ts';
import contract from '../../fixtures/contract-subject.ts';

describe('what klantreis new journey reads of the subject registry', () => {
  it('lists the registry’s types and, per type, the link, date and exit event its starter files use', () => {
    const types = subjectTypesOf(subjects);
    expect(types.types).toEqual(subjects.types);
    expect(types.starter('invoice')).toMatchObject({
      link: 'pay',
      date: 'dueDate',
      exitEvent: 'invoice.paid',
    });
    expect(types.starter('account')).toMatchObject({
      link: 'activate',
      date: undefined,
      exitEvent: 'portal.activated',
    });
  });

  it('reads a type the registry is built with, as a new module would be: its valid sample, link, date, exit event', () => {
    const registry = new SubjectRegistry([...subjects.specs, contract]);
    const starter = subjectTypesOf(registry).starter('contract');
    expect(registry.schema.safeParse(starter.sample).success).toBe(true);
    expect(starter).toMatchObject({
      type: 'contract',
      link: 'renew',
      date: 'endDate',
      exitEvent: 'contract.renewed',
    });
  });
});
