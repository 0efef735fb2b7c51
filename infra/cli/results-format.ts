/**
 * A results report as people read it: a text table of the funnel and of each experiment's arms, or
 * CSV for a spreadsheet. `npx klantreis results` and `npm start` print with these.
 */
import {
  type ArmReport,
  type ExperimentReport,
  FUNNEL_COUNTERS,
  type FunnelGroup,
  type ResultsReport,
} from '#core/results-report-schema.ts';

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
const signedPoints = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;
const dollars = (value: number | null) => (value === null ? '–' : `$${value.toFixed(4)}`);
const days = (median: number | null, orMore: boolean) =>
  median === null ? '–' : `${median}${orMore ? '+' : ''}`;

/** Columns padded to their widest cell; numbers right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-+$–<\d.,%]+$/.test(r[i] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const FUNNEL_COLUMNS = [
  'planned',
  'skipped',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'replied',
  'goalReached',
] as const;

function funnelTable(report: ResultsReport): string {
  const header = [
    ...report.by,
    ...FUNNEL_COLUMNS.map((c) => (c === 'goalReached' ? 'goal' : c)),
    // SMS engagement apart: a group of both channels sums their clicks in `clicked`.
    'sms clicked',
    'sms click rate',
    'cost',
    'cost/goal',
  ];
  const rows = report.groups.map((group) => [
    ...report.by.map((d) => group.key[d] ?? ''),
    ...FUNNEL_COLUMNS.map((c) => String(group.counts[c] ?? 0)),
    String(group.engagement.sms.clicked),
    percent(group.engagement.sms.clickRate),
    dollars(group.costUsd.total),
    dollars(group.costPerGoalUsd),
  ]);
  return textTable(header, rows);
}

function armRow(arm: ArmReport): string[] {
  const versus = arm.versusControl;
  return [
    arm.arm,
    String(arm.planned),
    String(arm.goalReached),
    percent(arm.conversion),
    `${percent(arm.interval.low)}–${percent(arm.interval.high)}`,
    versus ? `${signedPoints(versus.difference)} pt` : '',
    versus ? (versus.pValue < 0.001 ? '<0.001' : versus.pValue.toFixed(3)) : '',
    arm.verdict,
    days(arm.medianDaysToGoal, arm.medianDaysToGoalOrMore),
    dollars(arm.costPerGoalUsd),
  ];
}

/** The arms of one experiment with conversion, interval, difference against control, verdict and cost per goal. */
export function armsTable(experiment: ExperimentReport): string {
  const title =
    `Experiment ${experiment.experimentId} at step ${experiment.stepId ?? '?'}: ` +
    (experiment.requiredPerArm === null
      ? 'no control arm with customers yet, so no verdict'
      : `a verdict needs ${experiment.requiredPerArm} customers per arm`);
  const header = [
    'arm',
    'planned',
    'goal',
    'conversion',
    '95% interval',
    'vs control',
    'p',
    'verdict',
    'days',
    'cost/goal',
  ];
  return `${title}\n${textTable(header, experiment.arms.map(armRow))}`;
}

/** The whole report as text: window, funnel, then each experiment. */
export function formatReport(report: ResultsReport): string {
  const parts = [
    `Results of ${report.journeyId}, ${report.from} to ${report.to} (${report.method.name}: alpha ${report.method.alpha}, ` +
      `power ${report.method.power}, minimum detectable effect ${(report.method.minimumDetectableEffect * 100).toFixed(1)} points)`,
    funnelTable(report),
    ...report.experiments.map(armsTable),
  ];
  if (report.experiments.length === 0) parts.push('No experiment in this window.');
  return parts.join('\n\n');
}

/** Quotes a CSV cell when it needs it (RFC 4180). */
function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLines = (rows: readonly (readonly (string | number | boolean | null)[])[]) =>
  rows.map((row) => row.map(csvCell).join(',')).join('\n');

/** The per-channel engagement columns of the funnel CSV (`emailOpenRate`, `smsClicked`, …), in order. */
const ENGAGEMENT_CSV_COLUMNS = [
  ['email', 'delivered'],
  ['email', 'opened'],
  ['email', 'clicked'],
  ['email', 'replied'],
  ['email', 'openRate'],
  ['email', 'clickRate'],
  ['email', 'replyRate'],
  ['sms', 'delivered'],
  ['sms', 'clicked'],
  ['sms', 'replied'],
  ['sms', 'clickRate'],
  ['sms', 'replyRate'],
] as const;

function engagementCell(
  group: FunnelGroup,
  channel: (typeof ENGAGEMENT_CSV_COLUMNS)[number][0],
  name: (typeof ENGAGEMENT_CSV_COLUMNS)[number][1],
): number | null {
  const counts: Record<string, number | null> = group.engagement[channel];
  return counts[name] ?? null;
}

/** The funnel as CSV: one row per group, the `by` dimensions then every counter, the engagement per channel, cost in USD and median days. */
export function funnelCsv(report: ResultsReport): string {
  const header = [
    ...report.by,
    ...FUNNEL_COUNTERS,
    ...ENGAGEMENT_CSV_COLUMNS.map(([channel, name]) => `${channel}${name[0]?.toUpperCase()}${name.slice(1)}`),
    'costDeliveryUsd',
    'costOrchestrationUsd',
    'costTotalUsd',
    'costPerGoalUsd',
    'medianDaysToGoal',
    'medianDaysToGoalOrMore',
  ];
  const row = (group: FunnelGroup) => [
    ...report.by.map((d) => group.key[d] ?? ''),
    ...FUNNEL_COUNTERS.map((c) => group.counts[c] ?? 0),
    ...ENGAGEMENT_CSV_COLUMNS.map(([channel, name]) => engagementCell(group, channel, name)),
    group.costUsd.delivery,
    group.costUsd.orchestration,
    group.costUsd.total,
    group.costPerGoalUsd,
    group.medianDaysToGoal,
    group.medianDaysToGoalOrMore,
  ];
  return csvLines([header, ...report.groups.map(row)]);
}

/** Every experiment's arms as CSV: one row per arm. */
export function armsCsv(report: ResultsReport): string {
  const header = [
    'experimentId',
    'stepId',
    'requiredPerArm',
    'arm',
    'planned',
    'goalReached',
    'conversion',
    'intervalLow',
    'intervalHigh',
    'difference',
    'differenceLow',
    'differenceHigh',
    'pValue',
    'verdict',
    'medianDaysToGoal',
    'medianDaysToGoalOrMore',
    'costTotalUsd',
    'costPerGoalUsd',
  ];
  const rows = report.experiments.flatMap((experiment) =>
    experiment.arms.map((arm) => [
      experiment.experimentId,
      experiment.stepId,
      experiment.requiredPerArm,
      arm.arm,
      arm.planned,
      arm.goalReached,
      arm.conversion,
      arm.interval.low,
      arm.interval.high,
      arm.versusControl?.difference ?? null,
      arm.versusControl?.interval.low ?? null,
      arm.versusControl?.interval.high ?? null,
      arm.versusControl?.pValue ?? null,
      arm.verdict,
      arm.medianDaysToGoal,
      arm.medianDaysToGoalOrMore,
      arm.costUsd.total,
      arm.costPerGoalUsd,
    ]),
  );
  return csvLines([header, ...rows]);
}
