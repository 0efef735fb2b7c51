/**
 * A new subject type and its journey, planned end to end without a line of code elsewhere: the tests'
 * contract (its module declares `endDate`) and a renewal journey written as a compact definition whose
 * every wait is relative to that date. Its ASL is generated, its dates are checked against the module,
 * and the simulator's planning (the decisions the Task makes) puts each message where the definition
 * says: the notice 30 days before the end date, a last call a week before it (only while the contract
 * still runs), a follow-up the day after it (only once it has ended), each in the customer's window.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import type { AslDefinition } from '#application/asl.ts';
import { planJourney } from '#application/journey-plan.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { formatIssue } from '#infra/content/content-issue.ts';
import { generateAsl } from '#infra/journeys/generate-asl.ts';
import { type JourneyDefinition, journeyDefinitionSchema } from '#infra/journeys/journey-definition.ts';
import { subjectDateIssues } from '#infra/journeys/subject-date-issues.ts';
import { subjectModules } from '#subjects/all.ts';
import contract from './../fixtures/contract-subject.ts';

const FILE = 'statemachines/contract-renewal.journey.json';
const step = (stepId: string, extra: Record<string, unknown>) => ({
  config: {
    stepId,
    templateId: 'payment-reminder',
    purpose: 'service',
    channels: ['email', 'sms'],
    ...extra,
  },
});
const renewal = (of = 'endDate') => ({
  id: 'contract-renewal',
  subject: 'contract',
  comment:
    'Contract renewal: a notice a month before the end date, a last call a week before, a follow-up after.',
  timeoutDays: 60,
  plansFirstWake: true,
  firstWake: { daysBefore: 30, of },
  steps: [
    step('renewal-notice', { next: { daysBefore: 7, of } }),
    step('last-call', { onlyIf: { kind: 'before', of }, next: { daysAfter: 1, of } }),
    step('after-end', { onlyIf: { kind: 'after', of } }),
  ],
});
const modules = [...subjectModules, contract];
const customer: CustomerProfile = {
  id: 'c-renewal',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1980-06-15',
  email: 'klant@example.nl',
};
const aContract = {
  type: 'contract',
  id: 'CTR-7',
  endDate: '2027-03-31',
  renewUrl: 'https://portal.example.com/contracts/CTR-7/renew',
};
const local = (iso: string | null) =>
  DateTime.fromISO(iso ?? '', { zone: 'Europe/Amsterdam' }).toFormat('yyyy-MM-dd HH:mm');

/** The renewal planned for the customer from `at`: each message's step and local send time. */
function plan(at: string, subject: object = aContract) {
  const definition = journeyDefinitionSchema.parse(renewal()) as JourneyDefinition;
  const planned = planJourney({
    journeyId: definition.id,
    // The generator's own ASL type is narrower than the planner's (states as it writes them).
    definition: generateAsl(definition) as unknown as AslDefinition,
    customer,
    policy: loadPolicy(),
    at: new Date(at),
    subject,
    firstWake: definition.firstWake,
  });
  return planned.steps.map((s) => ({
    step: s.step.stepId,
    at: local(s.decision.sendAt),
    channel: s.decision.channel,
  }));
}

describe('a contract renewal: every wait relative to the contract’s end date', () => {
  it('names only the contract’s dates: a slip is refused with the date it meant', () => {
    expect(subjectDateIssues(renewal(), FILE, modules)).toEqual([]);
    expect(subjectDateIssues(renewal('endDat'), FILE, modules).map(formatIssue)[0]).toBe(
      `${FILE}: firstWake.of: "endDat" is not a date of contract (its dates: endDate) — did you mean "endDate"?`,
    );
  });

  it('started months ahead: the notice 30 days before, the last call a week before, the follow-up the day after', () => {
    const [notice, lastCall, afterEnd, ...rest] = plan('2026-12-01T09:00:00Z');
    expect(rest).toEqual([]);
    // Monday 1 March 2027, the default window from 09:00 plus the customer's spread.
    expect(notice?.step).toBe('renewal-notice');
    const at = notice?.at ?? '';
    expect(at >= '2027-03-01 09:00' && at < '2027-03-01 10:00', at).toBe(true);
    const time = at.slice(11);
    // Wednesday 24 March, at the notice's time of day; Thursday 1 April, the same local time in summer time.
    expect(lastCall).toMatchObject({ step: 'last-call', at: `2027-03-24 ${time}`, channel: 'email' });
    expect(afterEnd).toMatchObject({ step: 'after-end', at: `2027-04-01 ${time}`, channel: 'email' });
  });

  it('started a few days before the end date: the notice now, the last call at once after it, the follow-up after', () => {
    // Thursday 25 March 2027, 10:00 in Amsterdam: inside the window.
    const planned = plan('2027-03-25T09:00:00Z');
    expect(planned.map((p) => p.step)).toEqual(['renewal-notice', 'last-call', 'after-end']);
    expect(planned[0]?.at.slice(0, 10)).toBe('2027-03-25');
    // A week before the end date has passed: the last call wakes at once, still before the end date.
    expect(planned[1]?.at).toBe(planned[0]?.at);
    expect(planned[2]?.at.slice(0, 10)).toBe('2027-04-01');
  });

  it('started after the end date: the notice now, the last call skipped (the contract has ended)', () => {
    const planned = plan('2027-04-06T08:00:00Z');
    expect(planned.map((p) => p.step)).toEqual(['renewal-notice', 'after-end']);
  });
});
