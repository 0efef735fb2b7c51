/**
 * The results report of a journey over a window of days, from its aggregate rows: the funnel per
 * group of the chosen dimensions with its engagement per channel (email opens, clicks and replies,
 * SMS link clicks and replies, each with its share of the channel's deliveries), and per experiment each arm's conversion (goals attributed to the
 * arm's runs ÷ customers planned into the arm at the experiment's step) with its interval, the
 * difference against control with its test and verdict, the sample size the verdict waits for,
 * median days to goal and cost per goal reached. Pure.
 */
import type { ResultRow } from './results.ts';
import {
  type ArmReport,
  type Engagement,
  type ExperimentReport,
  FUNNEL_COUNTERS,
  type FunnelCounter,
  type FunnelGroup,
  REPORT_DIMENSIONS,
  type ReportDimension,
  type ResultsReport,
} from './results-report-schema.ts';
import {
  compareWithControl,
  DEFAULT_ALPHA,
  DEFAULT_POWER,
  medianFromHistogram,
  sampleSizePerArm,
  VERDICT_METHOD,
  verdictOf,
  wilsonInterval,
} from './stats.ts';

/** The effect a report looks for when the query names none: five percentage points. */
export const DEFAULT_MINIMUM_DETECTABLE_EFFECT = 0.05;

/** The arm every other arm is compared with. */
export const CONTROL_ARM = 'control';

/** Where each report dimension sits on a row. */
const DIMENSION_FIELD = {
  step: 'stepId',
  segment: 'segment',
  channel: 'channel',
  variant: 'variant',
  locale: 'locale',
  experiment: 'experimentId',
  arm: 'arm',
  day: 'day',
} as const satisfies Record<ReportDimension, keyof ResultRow>;

export interface ReportQuery {
  journeyId: string;
  /** First and last UTC day of the window, both inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  /** Dimensions to group the funnel by; none: one group, the journey's totals. */
  by: readonly ReportDimension[];
  /** Absolute difference in conversion the verdict is powered to detect (0.05 = five points). */
  minimumDetectableEffect?: number;
  alpha?: number;
  power?: number;
  /** The step each experiment assigns its arms at, when known from the journey's config. */
  experimentSteps?: Readonly<Record<string, string>>;
}

/** Returns whether a `by` value names a report dimension. */
export function isReportDimension(value: string): value is ReportDimension {
  return (REPORT_DIMENSIONS as readonly string[]).includes(value);
}

/** The counters the engagement of a group is read from, kept per channel. */
const ENGAGEMENT_COUNTERS = ['delivered', 'opened', 'clicked', 'replied'] as const;
type ChannelCounts = Record<(typeof ENGAGEMENT_COUNTERS)[number], number>;

interface Totals {
  counts: Record<FunnelCounter, number>;
  byChannel: { email: ChannelCounts; sms: ChannelCounts };
  skippedBy: Record<string, number>;
  costMicroUsd: { delivery: number; orchestration: number };
  goalDays: Record<string, number>;
}

function emptyChannelCounts(): ChannelCounts {
  return { delivered: 0, opened: 0, clicked: 0, replied: 0 };
}

function emptyTotals(): Totals {
  return {
    counts: Object.fromEntries(FUNNEL_COUNTERS.map((name) => [name, 0])) as Record<FunnelCounter, number>,
    byChannel: { email: emptyChannelCounts(), sms: emptyChannelCounts() },
    skippedBy: {},
    costMicroUsd: { delivery: 0, orchestration: 0 },
    goalDays: {},
  };
}

function addRow(totals: Totals, row: ResultRow): void {
  for (const name of FUNNEL_COUNTERS) totals.counts[name] += row.counts[name] ?? 0;
  // A letter has no delivery reports, opens or clicks: its outcome is the goal event.
  if (row.channel === 'email' || row.channel === 'sms') {
    const channel = totals.byChannel[row.channel];
    for (const name of ENGAGEMENT_COUNTERS) channel[name] += row.counts[name] ?? 0;
  }
  for (const [reason, count] of Object.entries(row.skippedBy)) {
    totals.skippedBy[reason] = (totals.skippedBy[reason] ?? 0) + count;
  }
  totals.costMicroUsd.delivery += row.costMicroUsd.delivery;
  totals.costMicroUsd.orchestration += row.costMicroUsd.orchestration;
  for (const [bucket, count] of Object.entries(row.goalDays)) {
    totals.goalDays[bucket] = (totals.goalDays[bucket] ?? 0) + count;
  }
}

function sumOf(rows: Iterable<ResultRow>): Totals {
  const totals = emptyTotals();
  for (const row of rows) addRow(totals, row);
  return totals;
}

/** Micro-USD as USD, kept to the micro-dollar so sums print without float dust. */
const usd = (microUsd: number) => Math.round(microUsd) / 1_000_000;

function costOf(totals: Totals) {
  const { delivery, orchestration } = totals.costMicroUsd;
  const goals = totals.counts.goalReached;
  return {
    costUsd: {
      delivery: usd(delivery),
      orchestration: usd(orchestration),
      total: usd(delivery + orchestration),
    },
    costPerGoalUsd: goals > 0 ? (delivery + orchestration) / goals / 1_000_000 : null,
  };
}

function medianOf(totals: Totals) {
  const median = medianFromHistogram(totals.goalDays);
  return { medianDaysToGoal: median.days, medianDaysToGoalOrMore: median.orMore };
}

/** Returns part ÷ delivered, or null before anything was delivered. */
const perDelivered = (part: number, delivered: number) => (delivered > 0 ? part / delivered : null);

function engagementOf(totals: Totals): Engagement {
  const { email, sms } = totals.byChannel;
  return {
    email: {
      ...email,
      openRate: perDelivered(email.opened, email.delivered),
      clickRate: perDelivered(email.clicked, email.delivered),
      replyRate: perDelivered(email.replied, email.delivered),
    },
    sms: {
      delivered: sms.delivered,
      clicked: sms.clicked,
      replied: sms.replied,
      clickRate: perDelivered(sms.clicked, sms.delivered),
      replyRate: perDelivered(sms.replied, sms.delivered),
    },
  };
}

function groupOf(key: Record<string, string>, totals: Totals): FunnelGroup {
  return {
    key,
    counts: totals.counts,
    engagement: engagementOf(totals),
    skippedBy: totals.skippedBy,
    ...costOf(totals),
    ...medianOf(totals),
  };
}

function funnel(rows: readonly ResultRow[], by: readonly ReportDimension[]): FunnelGroup[] {
  const dimensions = REPORT_DIMENSIONS.filter((d) => by.includes(d));
  const groups = new Map<string, { key: Record<string, string>; rows: ResultRow[] }>();
  for (const row of rows) {
    const key = Object.fromEntries(dimensions.map((d) => [d, row[DIMENSION_FIELD[d]]]));
    const id = JSON.stringify(dimensions.map((d) => key[d]));
    const group = groups.get(id) ?? { key, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => groupOf(group.key, sumOf(group.rows)));
}

/**
 * The step an experiment assigns at: from the config when given, else the step where most of its
 * customers were planned — every assigned customer is planned there, and later steps only plan the
 * customers still on the way.
 */
function experimentStepOf(
  experimentRows: readonly ResultRow[],
  configured: string | undefined,
): string | null {
  if (configured) return configured;
  const plannedByStep = new Map<string, number>();
  for (const row of experimentRows) {
    plannedByStep.set(row.stepId, (plannedByStep.get(row.stepId) ?? 0) + row.counts.planned);
  }
  const ranked = [...plannedByStep.entries()]
    .filter(([, planned]) => planned > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return ranked[0]?.[0] ?? null;
}

function experimentReport(
  experimentId: string,
  rows: readonly ResultRow[],
  query: ReportQuery,
): ExperimentReport {
  const stepId = experimentStepOf(rows, query.experimentSteps?.[experimentId]);
  const armIds = [...new Set(rows.map((row) => row.arm))].sort((a, b) =>
    a === CONTROL_ARM ? -1 : b === CONTROL_ARM ? 1 : a < b ? -1 : 1,
  );
  const arms = armIds.map((arm) => {
    const armRows = rows.filter((row) => row.arm === arm);
    const totals = sumOf(armRows);
    const planned = armRows
      .filter((row) => row.stepId === stepId)
      .reduce((sum, row) => sum + row.counts.planned, 0);
    return { arm, planned, goalReached: totals.counts.goalReached, totals };
  });
  const control = arms.find((a) => a.arm === CONTROL_ARM);
  const alpha = query.alpha ?? DEFAULT_ALPHA;
  const mde = query.minimumDetectableEffect ?? DEFAULT_MINIMUM_DETECTABLE_EFFECT;
  const requiredPerArm =
    control && control.planned > 0
      ? sampleSizePerArm({
          baseline: Math.min(1, control.goalReached / control.planned),
          minimumDetectableEffect: mde,
          alpha,
          power: query.power ?? DEFAULT_POWER,
        })
      : null;
  const armReports = arms.map(({ arm, planned, goalReached, totals }): ArmReport => {
    const successes = Math.min(goalReached, planned);
    const base = {
      arm,
      planned,
      goalReached,
      conversion: planned > 0 ? goalReached / planned : null,
      interval: wilsonInterval(successes, planned),
      ...costOf(totals),
      ...medianOf(totals),
    };
    if (!control || arm === CONTROL_ARM) {
      return { ...base, versusControl: null, verdict: arm === CONTROL_ARM ? 'control' : 'no-winner-yet' };
    }
    const comparison = compareWithControl(
      { successes, trials: planned },
      { successes: Math.min(control.goalReached, control.planned), trials: control.planned },
    );
    return {
      ...base,
      versusControl: {
        difference: comparison.difference,
        interval: comparison.interval,
        pValue: comparison.pValue,
      },
      verdict: verdictOf(
        comparison,
        { arm: planned, control: control.planned, required: requiredPerArm },
        alpha,
      ),
    };
  });
  return {
    experimentId,
    stepId,
    control: control ? CONTROL_ARM : null,
    requiredPerArm,
    arms: armReports,
  };
}

/** Returns the report of the rows of one journey's window. */
export function resultsReport(rows: readonly ResultRow[], query: ReportQuery): ResultsReport {
  const inWindow = rows.filter(
    (row) => row.journeyId === query.journeyId && row.day >= query.from && row.day <= query.to,
  );
  const experimentIds = [...new Set(inWindow.map((row) => row.experimentId))]
    .filter((id) => id !== 'none')
    .sort();
  return {
    journeyId: query.journeyId,
    from: query.from,
    to: query.to,
    by: REPORT_DIMENSIONS.filter((d) => query.by.includes(d)),
    method: {
      ...VERDICT_METHOD,
      alpha: query.alpha ?? DEFAULT_ALPHA,
      power: query.power ?? DEFAULT_POWER,
      minimumDetectableEffect: query.minimumDetectableEffect ?? DEFAULT_MINIMUM_DETECTABLE_EFFECT,
    },
    totals: groupOf({}, sumOf(inWindow)),
    groups: funnel(inWindow, query.by),
    experiments: experimentIds.map((id) =>
      experimentReport(
        id,
        inWindow.filter((row) => row.experimentId === id),
        query,
      ),
    ),
  };
}
