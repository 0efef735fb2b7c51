/**
 * The shape of `GET /journeys/{journeyId}/results`: the handler answers with it, the OpenAPI document
 * states it, and the console charts it. Only zod and the pure results model, so a browser bundle can import it.
 */
import * as z from 'zod/mini';
import { RESULT_COUNTERS } from './results.ts';

/** The dimensions a report can group its funnel by (`by=`), in the order a group's key lists them. */
export const REPORT_DIMENSIONS = [
  'step',
  'segment',
  'channel',
  'variant',
  'locale',
  'experiment',
  'arm',
  'day',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The counters of a funnel, in funnel order: the recorded aggregates' counters. */
export const FUNNEL_COUNTERS = RESULT_COUNTERS;
export type FunnelCounter = (typeof FUNNEL_COUNTERS)[number];

const count = z.number().check(z.int(), z.gte(0));
/** Each funnel counter summed over a group. */
const CountsSchema = z.object({
  planned: count,
  skipped: count,
  sent: count,
  delivered: count,
  bounced: count,
  opened: count,
  clicked: count,
  replied: count,
  optedOut: count,
  complained: count,
  goalReached: count,
  handedOver: count,
  unreachable: count,
  completedWithoutGoal: count,
}) satisfies z.ZodMiniType<Record<FunnelCounter, number>>;

const rate = (what: string) =>
  z
    .nullable(z.number())
    .check(z.describe(`${what} ÷ delivered on the channel; null before any was delivered.`));

/** Email engagement of a group: its messages delivered by email and the first open, click and reply of each. */
const EmailEngagementSchema = z.object({
  delivered: count,
  opened: count,
  clicked: count,
  replied: count,
  openRate: rate('opened'),
  clickRate: rate('clicked'),
  replyRate: rate('replied'),
});

/** SMS engagement of a group: its SMS delivered, and per SMS the first short link followed and a reply. */
const SmsEngagementSchema = z.object({
  delivered: count,
  clicked: count,
  replied: count,
  clickRate: rate('clicked'),
  replyRate: rate('replied'),
});

export const EngagementSchema = z
  .object({ email: EmailEngagementSchema, sms: SmsEngagementSchema })
  .check(
    z.describe(
      'The group’s counts per channel with their rates: a group by step alone sums both channels in `counts`.',
    ),
  );
export type Engagement = z.infer<typeof EngagementSchema>;

const IntervalSchema = z.object({ low: z.number(), high: z.number() });

const CostSchema = z.object({
  delivery: z.number(),
  orchestration: z.number(),
  total: z.number(),
});

const MedianSchema = {
  medianDaysToGoal: z
    .nullable(z.number())
    .check(z.describe('Median whole days from the run’s start to its goal; null without goals.')),
  medianDaysToGoalOrMore: z
    .boolean()
    .check(z.describe('The median lies in the histogram’s open bucket: that many days or more.')),
};

export const FunnelGroupSchema = z.object({
  key: z
    .record(z.string(), z.string())
    .check(z.describe('The group’s value of each `by` dimension; `none` where a dimension does not apply.')),
  counts: CountsSchema,
  engagement: EngagementSchema,
  skippedBy: z.record(z.string(), z.number()).check(z.describe('Skipped, per reason code.')),
  costUsd: CostSchema,
  costPerGoalUsd: z.nullable(z.number()),
  ...MedianSchema,
});
export type FunnelGroup = z.infer<typeof FunnelGroupSchema>;

export const VerdictSchema = z.enum(['control', 'no-winner-yet', 'better', 'worse', 'no-difference']);

export const ArmReportSchema = z.object({
  arm: z.string(),
  planned: z.number().check(z.describe('Customers planned into the arm at the experiment’s step.')),
  goalReached: z.number().check(z.describe('Goals attributed to the arm’s runs.')),
  conversion: z
    .nullable(z.number())
    .check(z.describe('goalReached ÷ planned; null before anyone is planned.')),
  interval: IntervalSchema.check(z.describe('Wilson score interval of the conversion at 95 %.')),
  versusControl: z.nullable(
    z.object({
      difference: z.number().check(z.describe('This arm’s conversion minus control’s.')),
      interval: IntervalSchema.check(z.describe('Newcombe hybrid score interval of the difference at 95 %.')),
      pValue: z.number().check(z.describe('Two-sided p-value of the pooled two-proportion z test.')),
    }),
  ),
  verdict: VerdictSchema,
  costUsd: CostSchema,
  costPerGoalUsd: z.nullable(z.number()),
  ...MedianSchema,
});
export type ArmReport = z.infer<typeof ArmReportSchema>;

export const ExperimentReportSchema = z.object({
  experimentId: z.string(),
  stepId: z.nullable(z.string()).check(z.describe('The step that assigns the arms.')),
  control: z.nullable(z.string()).check(z.describe('The arm the others are compared with.')),
  requiredPerArm: z
    .nullable(z.number())
    .check(
      z.describe(
        'Customers each arm needs before a verdict: detects `minimumDetectableEffect` from control’s rate at alpha with the power.',
      ),
    ),
  arms: z.array(ArmReportSchema),
});
export type ExperimentReport = z.infer<typeof ExperimentReportSchema>;

export const ReportMethodSchema = z.object({
  name: z.string(),
  test: z.string(),
  interval: z.string(),
  rule: z.string(),
  alpha: z.number(),
  power: z.number(),
  minimumDetectableEffect: z.number(),
});

export const ResultsReportSchema = z.object({
  journeyId: z.string(),
  from: z.string(),
  to: z.string(),
  by: z.array(z.enum(REPORT_DIMENSIONS)),
  method: ReportMethodSchema,
  totals: FunnelGroupSchema,
  groups: z.array(FunnelGroupSchema),
  experiments: z.array(ExperimentReportSchema),
});
export type ResultsReport = z.infer<typeof ResultsReportSchema>;
