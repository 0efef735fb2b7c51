import { describe, expect, it } from 'vitest';
import { emptyCounts, type ResultCounter, type ResultRow } from '#core/results.ts';
import { resultsReport } from '#core/results-report.ts';

function row(
  dims: Partial<ResultRow>,
  counts: Partial<Record<ResultCounter, number>>,
  extra: Partial<ResultRow> = {},
): ResultRow {
  return {
    journeyId: 'payment-reminder',
    stepId: 'first-reminder',
    segment: 'default',
    channel: 'email',
    variant: 'friendly',
    locale: 'nl',
    experimentId: 'none',
    arm: 'none',
    day: '2026-12-01',
    ...dims,
    counts: { ...emptyCounts(), ...counts },
    skippedBy: {},
    costMicroUsd: { delivery: 0, orchestration: 0 },
    goalDays: {},
    ...extra,
  };
}

const query = { journeyId: 'payment-reminder', from: '2026-12-01', to: '2026-12-31', by: ['step'] as const };

describe('results report: funnel', () => {
  it('sums every counter per group of the chosen dimensions, across days', () => {
    const rows = [
      row(
        { stepId: 'first-reminder', day: '2026-12-01' },
        { planned: 10, sent: 9, delivered: 8, goalReached: 2 },
      ),
      row(
        { stepId: 'first-reminder', day: '2026-12-02', channel: 'sms' },
        { planned: 5, sent: 5, delivered: 5 },
      ),
      row({ stepId: 'second-reminder', day: '2026-12-08' }, { planned: 6, sent: 6, goalReached: 3 }),
    ];
    const report = resultsReport(rows, query);
    expect(report.groups.map((g) => [g.key, g.counts.planned, g.counts.sent, g.counts.goalReached])).toEqual([
      [{ step: 'first-reminder' }, 15, 14, 2],
      [{ step: 'second-reminder' }, 6, 6, 3],
    ]);
    expect(report.totals.counts.planned).toBe(21);
    const byStepChannel = resultsReport(rows, { ...query, by: ['channel', 'step'] });
    expect(byStepChannel.by).toEqual(['step', 'channel']);
    expect(byStepChannel.groups.map((g) => g.key)).toEqual([
      { step: 'first-reminder', channel: 'email' },
      { step: 'first-reminder', channel: 'sms' },
      { step: 'second-reminder', channel: 'email' },
    ]);
  });

  it('keeps each channel’s engagement apart in a step sent by both, with its share of what was delivered', () => {
    const rows = [
      row({ channel: 'email' }, { sent: 10, delivered: 8, opened: 4, clicked: 2, replied: 1 }),
      row({ channel: 'sms', day: '2026-12-02' }, { sent: 5, delivered: 4, clicked: 3, replied: 1 }),
      row({ channel: 'sms', segment: 'senior' }, { sent: 1, delivered: 0, clicked: 0 }),
      // A run-level outcome has no channel: it counts in neither.
      row({ channel: 'none', stepId: 'run' }, { handedOver: 1 }),
    ];
    const [step] = resultsReport(rows, query).groups;
    expect(step?.counts.clicked).toBe(5);
    expect(step?.engagement).toEqual({
      email: {
        delivered: 8,
        opened: 4,
        clicked: 2,
        replied: 1,
        openRate: 0.5,
        clickRate: 0.25,
        replyRate: 0.125,
      },
      sms: { delivered: 4, clicked: 3, replied: 1, clickRate: 0.75, replyRate: 0.25 },
    });
    const nothingDelivered = resultsReport([row({ channel: 'sms' }, { sent: 1 })], query).totals.engagement;
    expect(nothingDelivered.sms).toMatchObject({ clicked: 0, clickRate: null, replyRate: null });
    expect(nothingDelivered.email.openRate).toBeNull();
  });

  it('groups by every dimension, also locale, arm and day', () => {
    const rows = [
      row({ locale: 'nl', day: '2026-12-01' }, { planned: 1 }),
      row({ locale: 'en', day: '2026-12-02' }, { planned: 2 }),
    ];
    const report = resultsReport(rows, {
      ...query,
      by: ['step', 'segment', 'channel', 'variant', 'locale', 'experiment', 'arm', 'day'],
    });
    expect(report.groups.map((g) => g.key)).toEqual([
      {
        step: 'first-reminder',
        segment: 'default',
        channel: 'email',
        variant: 'friendly',
        locale: 'en',
        experiment: 'none',
        arm: 'none',
        day: '2026-12-02',
      },
      {
        step: 'first-reminder',
        segment: 'default',
        channel: 'email',
        variant: 'friendly',
        locale: 'nl',
        experiment: 'none',
        arm: 'none',
        day: '2026-12-01',
      },
    ]);
  });

  it('leaves out rows of other journeys and days outside the window', () => {
    const rows = [
      row({ day: '2026-11-30' }, { planned: 100 }),
      row({ day: '2026-12-01' }, { planned: 1 }),
      row({ day: '2027-01-01' }, { planned: 100 }),
      row({ journeyId: 'onboarding' }, { planned: 100 }),
    ];
    expect(resultsReport(rows, query).totals.counts.planned).toBe(1);
  });

  it('prices in USD from micro-USD and divides by the goals reached; merges skipped reasons and time to goal', () => {
    const rows = [
      row(
        {},
        { planned: 4, skipped: 1, goalReached: 2 },
        {
          skippedBy: { 'contact-pressure': 1 },
          costMicroUsd: { delivery: 1_500, orchestration: 250 },
          goalDays: { '2': 1, '5': 1 },
        },
      ),
      row(
        { day: '2026-12-03' },
        { planned: 2, skipped: 2, goalReached: 1 },
        {
          skippedBy: { 'contact-pressure': 1, 'no-slot': 1 },
          costMicroUsd: { delivery: 1_000, orchestration: 250 },
          goalDays: { '9': 1 },
        },
      ),
    ];
    const [group] = resultsReport(rows, query).groups;
    expect(group?.skippedBy).toEqual({ 'contact-pressure': 2, 'no-slot': 1 });
    expect(group?.costUsd).toEqual({ delivery: 0.0025, orchestration: 0.0005, total: 0.003 });
    expect(group?.costPerGoalUsd).toBeCloseTo(0.001, 12);
    expect(group?.medianDaysToGoal).toBe(5);
    expect(resultsReport([row({}, { planned: 3 })], query).groups[0]?.costPerGoalUsd).toBeNull();
  });
});

describe('results report: experiments', () => {
  const experiment = { experimentId: 'first-reminder-tone' };
  const rows = [
    // The experiment's step: every assigned customer is planned here.
    row(
      { ...experiment, arm: 'control' },
      { planned: 1000, goalReached: 300 },
      { costMicroUsd: { delivery: 600_000, orchestration: 0 } },
    ),
    row({ ...experiment, arm: 'b', variant: 'firm' }, { planned: 1000, goalReached: 400 }),
    row(
      { ...experiment, arm: 'holdout', channel: 'none', variant: 'none' },
      { planned: 200, goalReached: 40 },
    ),
    // A later step of the same runs carries the arm: its goals count, its planned customers do not.
    row(
      { ...experiment, arm: 'control', stepId: 'second-reminder' },
      { planned: 700, goalReached: 100 },
      { costMicroUsd: { delivery: 400_000, orchestration: 0 } },
    ),
  ];

  it('converts goals of the arm’s runs over customers planned into it at the experiment’s step', () => {
    const [report] = resultsReport(rows, query).experiments;
    expect(report?.stepId).toBe('first-reminder');
    expect(report?.control).toBe('control');
    expect(report?.arms.map((a) => [a.arm, a.planned, a.goalReached, a.conversion])).toEqual([
      ['control', 1000, 400, 0.4],
      ['b', 1000, 400, 0.4],
      ['holdout', 200, 40, 0.2],
    ]);
    expect(report?.arms[0]?.costPerGoalUsd).toBeCloseTo(1_000_000 / 400 / 1_000_000, 12);
  });

  it('takes the experiment’s step from the config when given', () => {
    const [report] = resultsReport(rows, {
      ...query,
      experimentSteps: { 'first-reminder-tone': 'second-reminder' },
    }).experiments;
    expect(report?.stepId).toBe('second-reminder');
    expect(report?.arms.find((a) => a.arm === 'control')?.planned).toBe(700);
  });

  it('compares each arm with control, with the interval, the p-value and a verdict once the horizon is reached', () => {
    const clear = [
      row({ ...experiment, arm: 'control' }, { planned: 2000, goalReached: 600 }),
      row({ ...experiment, arm: 'b' }, { planned: 2000, goalReached: 800 }),
      row({ ...experiment, arm: 'holdout' }, { planned: 2000, goalReached: 400 }),
    ];
    const [report] = resultsReport(clear, query).experiments;
    expect(report?.requiredPerArm).toBeGreaterThan(0);
    expect(report?.requiredPerArm).toBeLessThan(2000);
    const [control, b, holdout] = report?.arms ?? [];
    expect(control?.verdict).toBe('control');
    expect(control?.versusControl).toBeNull();
    expect(b?.verdict).toBe('better');
    expect(b?.versusControl?.difference).toBeCloseTo(0.1, 12);
    expect(b?.versusControl?.interval.low).toBeGreaterThan(0);
    expect(b?.versusControl?.pValue).toBeLessThan(0.001);
    expect(holdout?.verdict).toBe('worse');
    expect(b?.interval.low).toBeLessThan(0.4);
    expect(b?.interval.high).toBeGreaterThan(0.4);
  });

  it('declares no winner before the arms reach the size the minimum effect needs', () => {
    const early = [
      row({ ...experiment, arm: 'control' }, { planned: 300, goalReached: 90 }),
      row({ ...experiment, arm: 'b' }, { planned: 300, goalReached: 150 }),
    ];
    const [report] = resultsReport(early, { ...query, minimumDetectableEffect: 0.05 }).experiments;
    expect(report?.arms[1]?.versusControl?.pValue).toBeLessThan(0.001);
    expect(report?.arms[1]?.verdict).toBe('no-winner-yet');
    // A larger minimum effect needs fewer customers: then the same data decides.
    const [coarse] = resultsReport(early, { ...query, minimumDetectableEffect: 0.15 }).experiments;
    expect(coarse?.arms[1]?.verdict).toBe('better');
    expect(resultsReport(early, { ...query, minimumDetectableEffect: 0.15 }).method).toMatchObject({
      name: 'fixed-horizon',
      minimumDetectableEffect: 0.15,
      alpha: 0.05,
      power: 0.8,
    });
  });

  it('compares nothing without a control arm', () => {
    const [report] = resultsReport(
      [row({ ...experiment, arm: 'a' }, { planned: 10, goalReached: 1 })],
      query,
    ).experiments;
    expect(report?.control).toBeNull();
    expect(report?.requiredPerArm).toBeNull();
    expect(report?.arms[0]?.verdict).toBe('no-winner-yet');
  });
});
