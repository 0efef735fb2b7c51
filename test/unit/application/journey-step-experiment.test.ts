/**
 * The payment reminder's Tasks with the shipped first-reminder experiment, visit by visit on the pure
 * path: a holdout sends nothing and moves on as after a send, a direct-arm customer's message (and its
 * supporting-channel message) is the direct text, and the run's arm rides on its progress through the
 * later steps. Customers are picked by the assignment function.
 */
import { describe, expect, it } from 'vitest';
import { runStep } from '#application/journey-step/run-step.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { initialJourney, type StepProgress } from '#core/journey-step-run.ts';
import { firstReminderArm } from '../../fixtures/experiments.ts';
import { driveStep, progressBefore, stepInvoice, stepWorld } from '../../fixtures/step-visits.ts';

const HOUR = 3_600_000;
// Tuesday 8 December 2026, 11:00 in Amsterdam: inside the window, after the invoice's due date.
const START = new Date('2026-12-08T10:00:00.000Z');

function customerIn(arm: string): CustomerProfile {
  for (let i = 0; i < 1_000; i++) {
    const id = `unit-arm-${i}`;
    if (firstReminderArm(id).id === arm) {
      return {
        id,
        locale: 'nl-NL',
        country: 'NL',
        timezone: 'Europe/Amsterdam',
        birthDate: '1980-06-15',
        email: `${id}@example.nl`,
        phone: '+31612345678',
      };
    }
  }
  throw new Error(`no customer in arm ${arm}`);
}

describe('the first reminder experiment in the step', () => {
  it('a holdout customer: nothing sent on any channel, the skip and arm recorded, the next step a week on', async () => {
    const customer = customerIn('holdout');
    const world = stepWorld({ customer, faults: {} });
    const visits = await driveStep(world, 'FirstReminder', customer, initialJourney(START).progress, START);
    expect(visits).toHaveLength(1);
    const [visit] = visits;
    expect(world.calls).toEqual([]);
    const progress = visit?.state === 'done' ? visit.progress : null;
    expect(progress).toMatchObject({
      outcome: 'skipped',
      channel: null,
      sentAt: null,
      experiment: { id: 'first-reminder-text', arm: 'holdout' },
    });
    // Without a callback Task the read check comes next: nothing to check, the next step a week on.
    const check = await driveStep(world, 'FirstReminderUnread', customer, progress as StepProgress, START);
    const checked = check.at(-1);
    const after = checked?.state === 'done' ? checked.progress : null;
    expect(world.calls).toEqual([]);
    expect(after?.experiment).toEqual({ id: 'first-reminder-text', arm: 'holdout' });
    expect(Date.parse(after?.wakeAt ?? '') - START.getTime()).toBeGreaterThanOrEqual(168 * HOUR);
    const entries = await world.repository.listTimeline(customer.id);
    expect(entries.filter((e) => e.kind === 'message')).toEqual([]);
    expect(entries.find((e) => e.kind === 'decision' && e.stepId === 'first-reminder')).toMatchObject({
      outcome: 'skipped',
      experimentId: 'first-reminder-text',
      arm: 'holdout',
    });
  });

  it('a direct-arm customer refused by email gets the direct text on SMS too, and the arm rides to the next step', async () => {
    const customer = customerIn('direct');
    const world = stepWorld({ customer, faults: { email: ['refused'] } });
    const visits = await driveStep(world, 'FirstReminder', customer, initialJourney(START).progress, START);
    const first = visits.at(-1);
    const progress = (first?.state === 'done' ? first.progress : null) as StepProgress;
    expect(world.calls.map((c) => `${c.channel}:${c.fault}`)).toEqual(['email:refused', 'sms:ok']);
    expect(progress.experiment).toEqual({ id: 'first-reminder-text', arm: 'direct' });
    const messages = (await world.repository.listTimeline(customer.id)).filter((e) => e.kind === 'message');
    expect(messages.map((m) => [m.stepId, m.channel, m.tone, m.arm])).toEqual(
      expect.arrayContaining([['first-reminder-fallback', 'sms', 'direct', 'direct']]),
    );
    // The firmer reminder has no experiment of its own: it carries the run's arm on.
    const next = await driveStep(world, 'SecondReminder', customer, progress, new Date(progress.wakeAt));
    const second = next.at(-1);
    expect(second?.state === 'done' ? second.progress?.experiment : null).toEqual({
      id: 'first-reminder-text',
      arm: 'direct',
    });
  });

  it("a step that failed for good hands over with the run's arm, so the hand-over is attributed to it", async () => {
    const customer = customerIn('direct');
    const world = stepWorld({ customer, faults: {} });
    world.setNow(START);
    const progress = {
      ...progressBefore(customer, START, 'email'),
      experiment: { id: 'first-reminder-text', arm: 'direct' },
    };
    const ended = await runStep(world.deps, {
      runId: 'run-1',
      journeyId: 'payment-reminder',
      customerId: customer.id,
      subject: stepInvoice,
      step: { stepId: 'hand-over-failed', handOver: 'failed' },
      journey: { progress },
      failure: { Error: 'Klantreis.ProviderUnavailable' },
    });
    expect(ended).toMatchObject({
      outcome: 'handed-over',
      experiment: { id: 'first-reminder-text', arm: 'direct' },
    });
  });
});
