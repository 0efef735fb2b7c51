import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { TimelineEntry } from '#core/ports.ts';
import { demoAccount, recordEvent, seedCustomers, startJourney } from '#infra/local/demo.ts';
import { type LocalStack, localStateMachineArn } from '#infra/local/runtime.ts';
import { amsterdam, startE2eStack } from '../fixtures/e2e.ts';

// Send-time optimisation across a closed day: a customer who reads their email around 15:00 gets
// the welcome on Thursday at 15:00; the activation reminder 72 hours later falls on a Sunday (closed
// in the default segment). The welcome's Task plans that next wake with the customer's engagement,
// so the reminder's Task wakes on Monday in the engaged hour and sends at once — not at the window's
// opening, only to find the engaged hour later and defer (Klantreis.NotYet: 3 transitions and an
// invocation more).

// Thursday 3 December 2026, 15:05 in Amsterdam.
const start = new Date('2026-12-03T14:05:00Z');
const DAY = 86_400_000;

// Email only (no phone), so the default segment's email order holds and no read check runs.
const reader: CustomerProfile = {
  ...amsterdam,
  id: 'eng-reader',
  name: { given: 'Sanne' },
  email: 'sanne@example.nl',
};

let stack: LocalStack;
let timeline: TimelineEntry[] = [];

beforeAll(async () => {
  stack = await startE2eStack({
    simulationStart: start,
  });
  await seedCustomers(stack, [reader]);
  // Three opens in the 15:00 hour (local) in the last weeks: enough for send-time optimisation.
  for (const daysAgo of [5, 12, 19]) {
    await recordEvent(stack, reader.id, {
      type: 'email.opened',
      occurredAt: new Date(start.getTime() - daysAgo * DAY + 10 * 60_000),
    });
  }
  await startJourney(stack, 'onboarding', reader.id, demoAccount(reader));
  await stack.engine.whenIdle();
  timeline = await stack.repository.listTimeline(reader.id);
});

afterAll(async () => {
  await stack?.stop();
});

const localHourOf = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

describe('an engaged customer’s next step after a closed day', () => {
  it('wakes in the engaged hour of the next open day and sends at once, without a deferral', () => {
    const sent = (stepId: string) =>
      timeline.filter((e) => e.kind === 'message' && e.outcome === 'sent' && e.stepId === stepId);
    expect(sent('welcome').map((e) => localHourOf(e.at))).toEqual(['Thu, 15']);
    expect(sent('activation-reminder').map((e) => localHourOf(e.at))).toEqual(['Mon, 15']);

    const run = stack.engine
      .listExecutions()
      .find((e) => e.stateMachineArn === localStateMachineArn('onboarding'));
    expect(run?.statesEntered.filter((s) => s === 'ActivationReminder')).toHaveLength(1);
    expect(run?.statesEntered).not.toContain('DeferActivationReminder');
  });
});
