import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { journeyStartWiring } from '#adapters/journey-start-wiring.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createDeskRepository, createRepository, createResults } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { systemClock } from '#adapters/system-clock.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import {
  type ArrangementDeps,
  agreeArrangement,
  type CheckedArrangement,
  checkArrangement,
  instalmentPaid,
} from '#application/arrangements.ts';
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
import { type ArrangementTerms, ArrangementTermsSchema } from '#core/arrangement.ts';
import { BEHAVIOURAL_EVENT_TYPES } from '#core/behaviour.ts';
import { FreeFormRecordSchema } from '#core/free-form.ts';
import type {
  Clock,
  CustomerRepository,
  JourneyExecutions,
  RunLookup,
  RunRepository,
  TimelineRepository,
} from '#core/ports.ts';
import { type SubjectRegistry, subjects } from '#subjects/registry.ts';

/** The event types the API takes: the behavioural ones and every subject type's events. */
export function eventTypeSchemaOf(registry: SubjectRegistry) {
  return z.enum([...BEHAVIOURAL_EVENT_TYPES, ...registry.eventTypes] as [string, ...string[]]);
}

/** The request body, its `type` one of the registry's event types or a behavioural one. */
export function recordEventBodyOf(registry: SubjectRegistry) {
  return z.object({
    type: eventTypeSchemaOf(registry),
    occurredAt: z.optional(z.iso.datetime({ offset: true })),
    subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    data: z.optional(FreeFormRecordSchema),
    // `arrangement.agreed`'s schedule, checked whole (and against the invoice) for that event only.
    ...z.partial(ArrangementTermsSchema).shape,
  });
}

export const RecordEventBody = recordEventBodyOf(subjects);

const PathSchema = z.object({ customerId: z.string().check(z.minLength(1), z.maxLength(128)) });

/** The document's rules: the events that need `subjectId`, and each event's `data` as its subject type declares it. */
function bodyRulesOf(registry: SubjectRegistry): NonNullable<ApiDoc['bodyRules']> {
  const moving = registry.statusEventTypes as [string, ...string[]];
  return [
    ...(moving.length > 0
      ? [
          {
            description: `${moving.join(', ')} move their subject: \`subjectId\` is required`,
            when: z.object({ type: z.enum(moving) }),
            requires: z.object({ subjectId: z.string().check(z.minLength(1), z.maxLength(128)) }),
          },
        ]
      : []),
    ...registry.eventTypes.flatMap((type) => {
      const event = registry.event(type)?.event;
      if (!event?.data) return [];
      return [
        {
          description: `\`${type}\` ${event.description}`,
          when: event.dataRequired
            ? z.object({ type: z.literal(type) })
            : z.object({ type: z.literal(type), data: z.object({}) }),
          requires: z.object({ data: event.data }),
        },
      ];
    }),
  ];
}

/** The subject events that end running journeys, for the document's description. */
function exitEventsLine(registry: SubjectRegistry): string {
  const exits = registry.exitEventTypes.map((type) => `\`${type}\``).join(', ');
  return exits
    ? `${exits} stop the customer’s running journeys about their subject at once (also in the middle of a ` +
        'multi-day wait) and record the exit in the conversation.'
    : '';
}

export const apiDoc: ApiDoc = {
  summary: 'Record a behaviour event, or a business event about a subject (invoice.paid, …)',
  description:
    'A business event about a subject (`subjectId`) moves it to a new status; its `data` may describe the ' +
    `subject (see the rules). ${exitEventsLine(subjects)}`,
  params: PathSchema,
  body: RecordEventBody,
  bodyRules: bodyRulesOf(subjects),
  responses: {
    202: {
      description: 'Recorded',
      schema: z.object({
        eventId: z.string(),
        type: RecordEventBody.shape.type,
        occurredAt: z.string(),
        endedRuns: z
          .number()
          .check(z.int(), z.describe('Running journeys about the subject that this event stopped')),
      }),
    },
    404: {
      description:
        'No such customer; for `arrangement.agreed` no such invoice, for `instalment.paid` no such instalment',
    },
    409: { description: '`arrangement.agreed` for an invoice that is paid, or has an arrangement in force' },
    422: {
      description: '`arrangement.agreed` whose instalments do not fit the invoice (the field is named)',
    },
  },
};

export interface RecordEventDeps {
  customers: Pick<
    CustomerRepository,
    'getCustomer' | 'recordEvent' | 'putSubject' | 'getSubject' | 'listEvents'
  >;
  timeline: TimelineRepository;
  runs: RunLookup & Pick<RunRepository, 'setRunStatus'>;
  executions: JourneyExecutions;
  clock: Clock;
  newEventId?: () => string;
  /** Where a run's goal goes (its outcome, counted for its last message); none recorded when absent. */
  results?: ResultsPorts;
  /** The subject types whose events move their subject; absent: `functions/subjects`. */
  subjects?: SubjectRegistry;
  /** What payment arrangements need beyond the above (holds, the journey starter); absent: refused. */
  arrangements?: Omit<ArrangementDeps, 'customers' | 'timeline' | 'clock'>;
}

const AGREED = 'arrangement.agreed';
const INSTALMENT_PAID = 'instalment.paid';

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
  type: string,
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

/** `arrangement.agreed`'s schedule from the body, or a 400 naming each field that is missing or wrong. */
function arrangementTermsOf(body: {
  subjectId?: string | undefined;
  arrangementId?: string | undefined;
  instalments?: unknown;
  graceDays?: number | undefined;
}): ArrangementTerms {
  if (!body.subjectId) {
    throw new HttpError(400, 'invalid request', [{ path: 'subjectId', message: `required for ${AGREED}` }]);
  }
  const terms = ArrangementTermsSchema.safeParse({
    arrangementId: body.arrangementId,
    instalments: body.instalments,
    graceDays: body.graceDays,
  });
  if (!terms.success) throw new HttpError(400, 'invalid request', issuesOf(terms.error));
  return terms.data;
}

/** The arrangement's wiring for an arrangement event (else undefined); refused when the stage has none. */
function arrangementDepsOf(deps: RecordEventDeps, type: string): ArrangementDeps | undefined {
  if (type !== AGREED && type !== INSTALMENT_PAID) return undefined;
  if (!deps.arrangements) {
    // A payment for an arrangement nobody could agree here is only recorded, as any subject's event.
    if (type === INSTALMENT_PAID) return undefined;
    throw new HttpError(501, 'payment arrangements are not available here');
  }
  return { ...deps.arrangements, customers: deps.customers, timeline: deps.timeline, clock: deps.clock };
}

export function makeHandler(deps: RecordEventDeps) {
  const newEventId = deps.newEventId ?? randomUUID;
  const registry = deps.subjects ?? subjects;
  const Body = deps.subjects ? recordEventBodyOf(registry) : RecordEventBody;
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { customerId } = parseParams(event.pathParameters, PathSchema);
          const body = parseBody(event, Body);
          const subjectEvent = registry.event(body.type)?.event;
          const status = subjectEvent?.status;
          if (status && !body.subjectId) {
            throw new HttpError(400, 'invalid request', [
              { path: 'subjectId', message: `required for ${body.type}` },
            ]);
          }
          // The event's `data` as its subject type declares it: stored on the subject item.
          const described = registry.eventData(body.type, body.data, body.subjectId ?? '');
          if (!described.ok) {
            throw new HttpError(
              400,
              'invalid request',
              issuesOf(described.error).map((issue) => ({ ...issue, path: `data.${issue.path}` })),
            );
          }
          const now = deps.clock.now();
          assertMomentsWithin([
            // Not "not after now": a simulation or a batch import may date an event ahead of this clock.
            { path: 'occurredAt', value: body.occurredAt, ...tenYearsAround(now) },
            ...subjectMomentRules(described.dates, 'data.', now),
          ]);
          const terms = body.type === AGREED ? arrangementTermsOf(body) : undefined;
          const customer = await deps.customers.getCustomer(customerId);
          if (!customer) throw new HttpError(404, 'customer not found');
          const arrangementDeps = arrangementDepsOf(deps, body.type);
          // An arrangement is checked against its invoice before anything is recorded.
          const agreed: CheckedArrangement | undefined =
            terms && body.subjectId
              ? await checkArrangement(deps.customers, customer.id, body.subjectId, terms, now)
              : undefined;
          // Read before the event's status replaces it: the instalment names its invoice.
          const instalmentItem =
            body.type === INSTALMENT_PAID && body.subjectId && arrangementDeps
              ? await deps.customers.getSubject(customer.id, body.subjectId)
              : undefined;

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
              // The arrangement's schedule lives on the invoice's item: the event keeps its id and size.
              ...(agreed
                ? {
                    data: {
                      arrangementId: agreed.arrangement.arrangementId,
                      instalments: agreed.arrangement.instalments.length,
                      graceDays: agreed.arrangement.graceDays,
                    },
                  }
                : {}),
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
              ...described.stored,
            });
          }
          await deps.timeline.appendTimeline({
            customerId: customer.id,
            at: occurredAt,
            kind: 'event',
            summary: body.subjectId ? `${body.type} (${body.subjectId})` : body.type,
          });
          // After the subject's status: a run that starts in between sees it at its goal check.
          let endedRuns =
            subjectEvent?.exit && body.subjectId
              ? await endRunsAbout(deps, customer.id, body.subjectId, body.type, occurredAt)
              : 0;
          if (agreed && arrangementDeps) await agreeArrangement(arrangementDeps, customer, agreed, now);
          if (body.type === INSTALMENT_PAID && body.subjectId && arrangementDeps) {
            const paid = await instalmentPaid(arrangementDeps, customer, instalmentItem, body.subjectId, now);
            // The last instalment pays the invoice: its reminder ends as at invoice.paid.
            if (paid.paidInvoiceId) {
              endedRuns += await endRunsAbout(deps, customer.id, paid.paidInvoiceId, body.type, occurredAt);
            }
          }
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
  const starting = journeyStartWiring();
  return makeHandler({
    arrangements: {
      runs: starting.runs,
      holds: createDeskRepository(),
      starter: starting.starter,
      journeys: starting.journeys,
      positions: starting.positions,
      policy: loadPolicy(),
    },
    results: createResults({ pseudonymKey: pseudonymKeyFromEnv() }),
    customers: repository,
    timeline: repository,
    runs: repository,
    executions: new SfnJourneyExecutions(sfnClient()),
    clock: systemClock,
  });
});
