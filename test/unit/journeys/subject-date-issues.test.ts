import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journeys } from '#catalog/catalog.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { formatIssue } from '#infra/content/content-issue.ts';
import { validateCompactJourneyDefinition } from '#infra/journeys/journey-definition.ts';
import { subjectDateIssues } from '#infra/journeys/subject-date-issues.ts';

const types = [
  { type: 'invoice', dates: ['dueDate'] },
  { type: 'contract', dates: ['startDate', 'endDate'] },
  { type: 'account', dates: [] },
];
const file = 'statemachines/renewal.journey.json';
const renewal = (of: string) => ({
  id: 'renewal',
  subject: 'contract',
  plansFirstWake: true,
  firstWake: { daysBefore: 30, of },
  steps: [
    { config: { stepId: 'notice', onlyIf: { kind: 'before', of: 'endDate' }, next: { daysAfter: 1, of } } },
  ],
});

describe('a journey names only the dates its subject type declares', () => {
  it('accepts the declared dates', () => {
    expect(subjectDateIssues(renewal('endDate'), file, types)).toEqual([]);
  });

  it('refuses another field, naming where, the type’s dates and the nearest one', () => {
    expect(subjectDateIssues(renewal('endDat'), file, types).map(formatIssue)).toEqual([
      `${file}: firstWake.of: "endDat" is not a date of contract (its dates: startDate, endDate) — did you mean "endDate"?`,
      `${file}: steps[0].config.next.of: "endDat" is not a date of contract (its dates: startDate, endDate) — did you mean "endDate"?`,
    ]);
    const account = { subject: 'account', steps: [{ config: { next: { daysAfter: 3, of: 'createdAt' } } }] };
    expect(subjectDateIssues(account, file, types).map((i) => i.message)).toEqual([
      '"createdAt" is not a date of account (its dates: none)',
    ]);
  });

  it('refuses a first wake day on a journey whose starter plans no first wake', () => {
    const { plansFirstWake: _, ...unplanned } = renewal('endDate');
    expect(subjectDateIssues(unplanned, file, types).map(formatIssue)).toEqual([
      `${file}: firstWake: needs "plansFirstWake": true, or the run starts at once`,
    ]);
  });

  it('leaves a subject type without a module to generate, which refuses it', () => {
    expect(subjectDateIssues({ ...renewal('nope'), subject: 'lease' }, file, types)).toEqual([]);
  });

  it('finds nothing to refuse in the shipped journeys, read with the subject modules', () => {
    for (const journey of journeys) {
      const definition = journey.definitionFile.replace('.asl.json', '.journey.json');
      const json = JSON.parse(readFileSync(join(repoRoot, definition), 'utf8'));
      expect(subjectDateIssues(json, definition), definition).toEqual([]);
    }
  });

  it('is part of the definition’s validation: a slip in the payment reminder’s due date is refused', () => {
    const file = 'statemachines/payment-reminder.journey.json';
    const text = readFileSync(join(repoRoot, file), 'utf8').replace('"of": "dueDate"', '"of": "dueDay"');
    const messages = validateCompactJourneyDefinition(JSON.parse(text), file).map(formatIssue);
    expect(messages).toContain(
      `${file}: steps[0].config.onlyIf.of: "dueDay" is not a date of invoice (its dates: dueDate) — did you mean "dueDate"?`,
    );
  });
});
