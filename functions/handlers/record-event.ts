import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createRepository, createResults } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { systemClock } from '#adapters/system-clock.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import {
  HttpError,
  type HttpResult,
  issuesOf,
  json,
  parseBody,
  parseParams,
  respond,
} from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { assertMomentsWithin, subjectMomentRules, tenYearsAround } from '#application/moment-window.ts';
import { type ResultsPorts, recordRunOutcome } from '#application/results-recording.ts';
import { appointmentTimesOf } from '#core/appointment-times.ts';
import { type BehaviourEventType, BehaviourEventTypeSchema } from '#core/behaviour.ts';
import { FreeFormRecordSchema } from '#core/free-form.ts';
import { InvoiceDetailsSchema, type InvoiceSubject } from '#core/journey-step.ts';
import type {
  Clock,
  CustomerRepository,
  JourneyExecutions,
  RunLookup,
  RunRepository,
  SubjectState,
  TimelineRepository,
} from '#core/ports.ts';

export const RecordEventBody = z.object({
  type: BehaviourEventTypeSchema,
  occurredAt: z.optional(z.iso.datetime({ offset: true })),
  subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  data: z.optional(FreeFormRecordSchema),
});

const PathSchema = z.object({ customerId: z.string().check(z.minLength(1), z.maxLength(128)) });

/**
 * `invoice.created` may describe the invoice in `data` (amount, currency, dueDate, payUrl): the
 * subject then carries it and, while open, the scheduled batch finds it by its due date.
 * Returns that invoice, or undefined; a 400 names each failing `data.` field.
 */
function invoiceOf(body: z.infer<typeof RecordEventBody>): InvoiceSubject | undefined {
  if (body.type !== 'invoice.created' || !body.data || !body.subjectId) return undefined;
  const parsed = InvoiceDetailsSchema.safeParse(body.data);
  if (!parsed.success) {
    throw new HttpError(
      400,
      'invalid request',
      issuesOf(parsed.error).map((issue) => ({ ...issue, path: `data.${issue.path}` })),
    );
  }
  return { type: 'invoice', id: body.subjectId, ...parsed.data };
}

const RescheduledDataSchema = z.object({ startsAt: z.iso.datetime({ offset: true }) });

/**
 * `appointment.rescheduled` carries the new start in `data.startsAt` (ISO with offset): the subject item
 * gets the new moments, which the running journey re-reads after each wait (it moves its reminders).
 */
function rescheduledTimesOf(body: z.infer<typeof RecordEventBody>) {
  if (body.type !== 'appointment.rescheduled') return undefined;
  const parsed = RescheduledDataSchema.safeParse(body.data ?? {});
  if (!parsed.success) {
    throw new HttpError(400, 'invalid request', [
      { path: 'data.startsAt', message: 'the new start, ISO date-time with offset' },
    ]);
  }
  return appointmentTimesOf(parsed.data.startsAt);
}

/** Business events that move a journey's subject (the invoice) to a new status. */
const subjectStatusAfter: Partial<Record<z.infer<typeof BehaviourEventTypeSchema>, SubjectState['status']>> =
  {
    'invoice.created': 'open',
    'invoice.paid': 'paid',
    'portal.activated': 'activated',
    'appointment.cancelled': 'cancelled',
    'appointment.rescheduled': 'open',
  };

/** The types that need `subjectId`: those that move their subject. */
const SUBJECT_EVENT_TYPES = Object.keys(subjectStatusAfter) as [BehaviourEventType, ...BehaviourEventType[]];

export const apiDoc: ApiDoc = {
  summary: 'Record a behaviour or business event (invoice.created, invoice.paid, …)',
  description:
    '`invoice.created` with `data` {amount, currency, dueDate, payUrl} makes the invoice known to the scheduled ' +
    'batch, which starts its payment reminder once it is due; `invoice.paid` stops the customer’s running journeys ' +
    'about that invoice at once (also in the middle of a multi-day wait) and records the exit in the conversation.',
  params: PathSchema,
  body: RecordEventBody,
  bodyRules: [
    {
      description: `${SUBJECT_EVENT_TYPES.join(', ')} move their subject: \`subjectId\` is required`,
      when: z.object({ type: z.enum(SUBJECT_EVENT_TYPES) }),
      requires: z.object({ subjectId: RecordEventBody.shape.subjectId.def.innerType }),
    },
    {
      description:
        '`invoice.created` with `data` describes the invoice: amount (exact, within the currency’s ISO 4217 ' +
        'decimals), currency, dueDate (within ten years of today) and payUrl are all required',
      when: z.object({ type: z.literal('invoice.created'), data: z.object({}) }),
      requires: z.object({ data: InvoiceDetailsSchema }),
    },
    {
      description:
        '`appointment.rescheduled` carries the new start in `data.startsAt` (within ten years of today)',
      when: z.object({ type: z.literal('appointment.rescheduled') }),
      requires: z.object({ data: RescheduledDataSchema }),
    },
  ],
  responses: {
    202: {
      description: 'Recorded',
      schema: z.object({
        eventId: z.string(),
        type: BehaviourEventTypeSchema,
        occurredAt: z.string(),
        endedRuns: z
          .number()
          .check(z.int(), z.describe('Running journeys about the subject that this event stopped')),
      }),
    },
    404: { description: 'No such customer' },
  },
};

/**
 * Events that reach the goal of every journey about their subject: the runs end at once, not at
 * their next goal check (which stays as the backstop for a run this call does not see yet).
 */
export const EXIT_EVENTS: ReadonlySet<BehaviourEventType> = new Set([
  'invoice.paid',
  'portal.activated',
  'appointment.cancelled',
]);

export interface RecordEventDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'recordEvent' | 'putSubject'>;
  timeline: TimelineRepository;
  runs: RunLookup & Pick<RunRepository, 'setRunStatus'>;
  executions: JourneyExecutions;
  clock: Clock;
  newEventId?: () => string;
  /** Where a run's goal goes (its outcome, counted for its last message); none recorded when absent. */
  results?: ResultsPorts;
}

/**
 * Stops the customer's running executions about `subjectId` (StopExecution) and records each exit
 * in the conversation, then the run's outcome (the goal, by this event, at `occurredAt`); returns how
 * many it stopped. A failure is logged, not thrown: the event is stored already and the journey's own
 * goal check still ends the run.
 */
async function endRunsAbout(
  deps: RecordEventDeps,
  customerId: string,
  subjectId: string,
  type: BehaviourEventType,
  occurredAt: string,
): Promise<number> {
  let ended = 0;
  const runs = await deps.runs.listRuns(customerId);
  for (const run of runs) {
    if (run.subjectId !== subjectId) continue;
    try {
      const view = await deps.executions.describe(run.executionArn);
      if (view?.status !== 'RUNNING') continue;
      // The outcome before the stop: the stop's own end (aborted) then finds the run's outcome taken.
      // Never fails the event: a record that fails is logged and counted.
      await recordRunOutcome(deps.results, { customerId, runId: run.runId }, 'goal-reached', occurredAt, {
        goalEvent: type,
      });
      await deps.executions.stop(run.executionArn, `goal reached: ${type}`);
      await deps.runs.setRunStatus(customerId, run.runId, 'goal-reached');
      await deps.timeline.appendTimeline({
        id: `${run.runId}.exit`,
        customerId,
        at: deps.clock.now().toISOString(),
        kind: 'journey',
        summary: `${run.journeyId}: ended at once (${type})`,
        runId: run.runId,
        journeyId: run.journeyId,
        outcome: 'goal-reached',
        reasons: [`${type} (${subjectId}) reached the journey's goal; the run was stopped`],
      });
      ended += 1;
    } catch (error) {
      logger.error('stopping a run at its goal failed; its goal check ends it', { error, runId: run.runId });
      metrics.addMetric('RunExitsFailed', 'Count', 1);
    }
  }
  return ended;
}

export function makeHandler(deps: RecordEventDeps) {
  const newEventId = deps.newEventId ?? randomUUID;
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { customerId } = parseParams(event.pathParameters, PathSchema);
          const body = parseBody(event, RecordEventBody);
          const status = subjectStatusAfter[body.type];
          if (status && !body.subjectId) {
            throw new HttpError(400, 'invalid request', [
              { path: 'subjectId', message: `required for ${body.type}` },
            ]);
          }
          const invoice = invoiceOf(body);
          const moved = rescheduledTimesOf(body);
          const now = deps.clock.now();
          assertMomentsWithin([
            // Not "not after now": a simulation or a batch import may date an event ahead of this clock.
            { path: 'occurredAt', value: body.occurredAt, ...tenYearsAround(now) },
            ...subjectMomentRules(
              { type: body.type, dueDate: invoice?.dueDate, startsAt: moved?.startsAt },
              'data.',
              now,
            ),
          ]);
          const customer = await deps.customers.getCustomer(customerId);
          if (!customer) throw new HttpError(404, 'customer not found');

          const recordedAt = now.toISOString();
          const occurredAt = body.occurredAt ?? recordedAt;
          const eventId = newEventId();
          await deps.customers.recordEvent(
            customer.id,
            {
              type: body.type,
              occurredAt,
              ...(body.subjectId ? { subjectId: body.subjectId } : {}),
              ...(body.data ? { data: body.data } : {}),
            },
            eventId,
          );
          if (status && body.subjectId) {
            // The journey's goal check reads this item directly from DynamoDB.
            await deps.customers.putSubject({
              customerId: customer.id,
              subjectId: body.subjectId,
              status,
              updatedAt: occurredAt,
              ...(invoice ? { invoice } : {}),
              ...(moved ?? {}),
            });
          }
          await deps.timeline.appendTimeline({
            customerId: customer.id,
            at: occurredAt,
            kind: 'event',
            summary: body.subjectId ? `${body.type} (${body.subjectId})` : body.type,
          });
          // After the subject's status: a run that starts in between sees it at its goal check.
          const endedRuns =
            EXIT_EVENTS.has(body.type) && body.subjectId
              ? await endRunsAbout(deps, customer.id, body.subjectId, body.type, occurredAt)
              : 0;
          logger.info('event recorded', { type: body.type, endedRuns });
          metrics.addMetric('EventsRecorded', 'Count', 1);
          if (endedRuns > 0) metrics.addMetric('RunsEndedByEvent', 'Count', endedRuns);
          return json(202, { eventId, type: body.type, occurredAt, endedRuns });
        },
        (error) => logger.error('record-event failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    results: createResults({ pseudonymKey: pseudonymKeyFromEnv() }),
    customers: repository,
    timeline: repository,
    runs: repository,
    executions: new SfnJourneyExecutions(sfnClient()),
    clock: systemClock,
  });
});
