import { describe, expect, it } from 'vitest';
import { subjectModules } from '#subjects/all.ts';
import { SubjectRegistry, subjects } from '#subjects/registry.ts';
import { defineSubject, type SubjectBase, type SubjectTypeSpec } from '#subjects/subject-type.ts';
import contract from '../../fixtures/contract-subject.ts';

const registry = new SubjectRegistry([...subjectModules, contract]);
const aContract = {
  type: 'contract',
  id: 'CTR-7',
  endDate: '2027-03-31',
  renewUrl: 'https://portal.example.com/contracts/CTR-7/renew',
};

describe('a registry with a subject type of its own (contract)', () => {
  it('accepts a start about a contract and refuses unknown fields and a wrong type', () => {
    expect(registry.schema.parse(aContract)).toEqual(aContract);
    expect(registry.schema.safeParse({ ...aContract, renewLink: 'https://x.example' }).success).toBe(false);
    expect(registry.schema.safeParse({ ...aContract, type: 'lease' }).success).toBe(false);
    expect(subjects.schema.safeParse(aContract).success).toBe(false);
  });

  it('knows its events: statuses, exit and data', () => {
    expect(registry.event('contract.renewed')?.event.status).toBe('renewed');
    expect(registry.exitEventTypes).toContain('contract.renewed');
    expect(registry.exitEventTypes).not.toContain('contract.cancelled');
    expect(registry.statusEventTypes).toEqual(
      expect.arrayContaining(['contract.created', 'contract.cancelled']),
    );
    expect(registry.statuses).toEqual(expect.arrayContaining(['renewed', 'cancelled', 'paid']));
    expect(
      registry.eventData(
        'contract.created',
        { endDate: '2027-03-31', renewUrl: aContract.renewUrl },
        'CTR-7',
      ),
    ).toEqual({ ok: true, stored: { contractEndDate: '2027-03-31' }, dates: { endDate: '2027-03-31' } });
    const refused = registry.eventData(
      'contract.created',
      { endDate: 'soon', renewUrl: aContract.renewUrl },
      'CTR-7',
    );
    expect(refused.ok === false && refused.error.issues.map((issue) => issue.path)).toEqual([['endDate']]);
  });

  it('checks the goal by the contract’s goal statuses', () => {
    expect(registry.goalReachedReason(aContract, { status: 'renewed' })).toBe(
      'goal reached: contract renewed',
    );
    expect(registry.goalReachedReason(aContract, { status: 'cancelled' })).toBeNull();
    expect(registry.goalReachedReason(aContract, { status: 'open' })).toBeNull();
    expect(registry.goalReachedReason(aContract, undefined)).toBeNull();
  });

  it('gives templates the contract under its name and its renew link', () => {
    expect(registry.templateDataOf(aContract)).toEqual({ contract: { endDate: '2027-03-31' } });
    expect(registry.linksOf(aContract)).toEqual({ renew: aContract.renewUrl });
    expect(registry.datesOf(aContract)).toEqual({ endDate: '2027-03-31' });
  });

  it('stores what its events keep', () => {
    const item = {
      customerId: 'c-1',
      subjectId: 'CTR-7',
      status: 'renewed',
      updatedAt: '2026-12-01T09:00:00Z',
    };
    expect(
      registry.stateSchema.parse({ ...item, contractEndDate: '2027-03-31', pk: 'CUSTOMER#c-1' }),
    ).toEqual({
      ...item,
      contractEndDate: '2027-03-31',
    });
    expect(subjects.stateSchema.safeParse(item).success).toBe(false);
  });
});

describe('a registry refuses declarations that contradict each other', () => {
  const base = { ...contract, type: 'lease', events: {} };
  it('a type declared twice, an event of two types, a status or goal not its own', () => {
    expect(() => new SubjectRegistry([contract, contract])).toThrow(/declared twice/);
    const eventNamed = (type: string) =>
      ({ ...base, events: { [type]: { status: 'open', description: '' } } }) as SubjectTypeSpec;
    expect(() => new SubjectRegistry([eventNamed('leaseEnded')])).toThrow(/not named/);
    expect(() => new SubjectRegistry([eventNamed('email.opened')])).toThrow(/behavioural/);
    expect(new SubjectRegistry([eventNamed('lease.ended')]).eventTypes).toEqual(['lease.ended']);
    expect(() => new SubjectRegistry([contract, { ...base, events: contract.events }])).toThrow(
      /declared by/,
    );
    expect(
      () =>
        new SubjectRegistry([
          defineSubject<SubjectBase>({
            ...base,
            events: { 'lease.ended': { status: 'ended', description: '' } },
          } as SubjectTypeSpec),
        ]),
    ).toThrow(/not one of its statuses/);
    expect(() => new SubjectRegistry([{ ...base, goalStatuses: ['ended'] } as SubjectTypeSpec])).toThrow(
      /not one of its statuses/,
    );
  });
});

describe('the subject modules', () => {
  it('each sample is a valid subject of its type, with links', () => {
    for (const spec of subjects.specs) {
      const sample = spec.sample({ id: 'S-1', now: new Date('2026-12-01T09:00:00Z') });
      expect(subjects.schema.parse(sample)).toEqual(sample);
      expect(Object.keys(subjects.linksOf(sample)).length).toBeGreaterThan(0);
    }
  });
});
