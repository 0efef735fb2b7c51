import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { journeyStartWiring } from '#adapters/journey-start-wiring.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { executionArnOf } from '#adapters/sfn-journey-starter.ts';
import { firstWakeDayOf, firstWakeNow } from '#application/first-wake-now.ts';
import { startRunOnce } from '#application/journey-runs.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { initialJourney } from '#core/journey-step-run.ts';
import type { Policy } from '#core/policy.ts';
import type {
  Clock,
  CustomerRepository,
  JourneyRun,
  JourneyStarter,
  RunLookup,
  RunStartRepository,
  TimelineRepository,
} from '#core/ports.ts';
import type { RunPositionRecorder } from '#core/run-positions.ts';
import { scheduledRunName } from '#core/schedule.ts';
import { storedInvoiceOf } from '#subjects/invoice.ts';

export const StartScheduledRunsInput = z.object({
  scheduleId: z.string().check(z.minLength(1)),
  journeyId: z.string().check(z.minLength(1)),
  runDay: z.iso.date(),
  items: z
    .array(
      z.object({ customerId: z.string().check(z.minLength(1)), subjectId: z.string().check(z.minLength(1)) }),
    )
    .check(z.maxLength(500)),
});

/** What one batch did; the reasons are fixed phrases (metric dimensions, summary keys), never personal data. */
export interface BatchResult {
  started: number;
  alreadyStarted: number;
  skipped: Record<string, number>;
}

export const SKIP = {
  invoiceNotFound: 'invoice not found',
  invoiceNotOpen: 'invoice no longer open',
  invoiceWithoutDetails: 'invoice has no amount, due date or pay link',
  customerNotFound: 'customer not found',
  earlierRun: 'journey already started for this invoice on an earlier day',
} as const;

export interface StartScheduledRunsDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'getSubject' | 'listEvents'>;
  runs: RunStartRepository & RunLookup;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  starter: JourneyStarter;
  clock: Clock;
  /** journeyId -> state machine ARN of this stage. */
  journeys: Record<string, string>;
  /** Counts each started run in its journey's first state. */
  positions?: Pick<RunPositionRecorder, 'moveRun'>;
  /** The communication policy: each run's first wake is the first step's slot under it (default: the file's). */
  policy?: Policy;
}

type Outcome = { kind: 'started' } | { kind: 'already-started' } | { kind: 'skipped'; reason: string };

export function makeHandler(deps: StartScheduledRunsDeps) {
  const policy = deps.policy ?? loadPolicy();
  /** Returns what happened to one due invoice; re-reads everything the index may hold stale. */
  async function startOne(
    input: z.infer<typeof StartScheduledRunsInput>,
    stateMachineArn: string,
    item: { customerId: string; subjectId: string },
  ): Promise<Outcome> {
    const runId = scheduledRunName(item.customerId, item.subjectId, input.runDay);
    const subject = await deps.customers.getSubject(item.customerId, item.subjectId);
    if (!subject) return { kind: 'skipped', reason: SKIP.invoiceNotFound };
    if (subject.status !== 'open') return { kind: 'skipped', reason: SKIP.invoiceNotOpen };
    // The invoice as `invoice.created` described it, as the invoice module validates it.
    const invoice = storedInvoiceOf(subject);
    if (!invoice) return { kind: 'skipped', reason: SKIP.invoiceWithoutDetails };
    const customer = await deps.customers.getCustomer(item.customerId);
    if (!customer) return { kind: 'skipped', reason: SKIP.customerNotFound };
    // The first wake's Query runs beside the runs' one: a start costs no extra round trip.
    const [runs, firstWake] = await Promise.all([
      deps.runs.listRuns(item.customerId),
      firstWakeNow(
        { customers: deps.customers, policy },
        customer,
        deps.clock.now(),
        firstWakeDayOf(input.journeyId, invoice),
      ),
    ]);
    const earlier = runs.filter(
      (run) => run.journeyId === input.journeyId && run.subjectId === item.subjectId && run.runId !== runId,
    );
    if (earlier.length > 0) return { kind: 'skipped', reason: SKIP.earlierRun };

    const executionInput = JSON.stringify({
      customerId: customer.id,
      journeyId: input.journeyId,
      subject: invoice,
      journey: initialJourney(firstWake.wakeAt),
    });
    const claim: JourneyRun = {
      runId,
      journeyId: input.journeyId,
      customerId: customer.id,
      subjectId: item.subjectId,
      executionArn: executionArnOf(stateMachineArn, runId),
      status: 'running',
      startedAt: deps.clock.now().toISOString(),
    };
    // The run item claims the day's run id: a batch fired twice (or retried) starts it once, and a
    // batch that crashed between claim and start has that same start finished by the next.
    const start = await startRunOnce(deps, stateMachineArn, claim, executionInput);
    return { kind: start.kind === 'started' ? 'started' : 'already-started' };
  }

  return withObservability(async (event: unknown, _context: Context): Promise<BatchResult> => {
    const input = StartScheduledRunsInput.parse(event);
    logger.appendKeys({ scheduleId: input.scheduleId });
    const stateMachineArn = deps.journeys[input.journeyId];
    if (!stateMachineArn) throw new Error(`unknown journey: ${input.journeyId}`);
    const result: BatchResult = { started: 0, alreadyStarted: 0, skipped: {} };
    for (const item of input.items) {
      const outcome = await startOne(input, stateMachineArn, item);
      if (outcome.kind === 'started') result.started += 1;
      else if (outcome.kind === 'already-started') result.alreadyStarted += 1;
      else result.skipped[outcome.reason] = (result.skipped[outcome.reason] ?? 0) + 1;
    }
    logger.info('scheduled runs started', { journeyId: input.journeyId, runDay: input.runDay, ...result });
    metrics.addMetric('ScheduledRunsStarted', 'Count', result.started);
    return result;
  });
}

export const handler = wiredOnFirstUse(() => makeHandler(journeyStartWiring()));
