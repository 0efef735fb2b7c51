import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { journeyStartWiring } from '#adapters/journey-start-wiring.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { executionArnOf } from '#adapters/sfn-journey-starter.ts';
import { type ApiDoc, JourneyRunSchema } from '#application/api-doc.ts';
import { firstWakeDayOf, firstWakeNow } from '#application/first-wake-now.ts';
import {
  HttpError,
  type HttpResult,
  header,
  json,
  parseBody,
  parseParams,
  respond,
} from '#application/http.ts';
import { startRunOnce } from '#application/journey-runs.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { assertMomentsWithin, subjectMomentRules } from '#application/moment-window.ts';
import { type JourneySpec, journeys as journeyCatalog } from '#catalog/catalog.ts';
import { initialJourney } from '#core/journey-step-run.ts';
import type { Policy } from '#core/policy.ts';
import type {
  Clock,
  CustomerRepository,
  ExecutionInputReader,
  JourneyRun,
  JourneyStarter,
  RunRepository,
  RunStartRepository,
  TimelineRepository,
} from '#core/ports.ts';
import type { RunPositionRecorder } from '#core/run-positions.ts';
import { type SubjectRegistry, subjects } from '#subjects/registry.ts';

/** Execution names allow 80 characters of this alphabet; the key is the run id users see. */
const IdempotencyKeySchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,80}$/, 'up to 80 letters, digits, - or _'));

/** The request body: the subject one of the registry's subject types, strictly as its module declares it. */
export function startJourneyBodyOf(registry: SubjectRegistry) {
  return z.object({
    customerId: z.string().check(z.minLength(1), z.maxLength(128)),
    subject: registry.schema,
    idempotencyKey: z.optional(IdempotencyKeySchema),
  });
}

export const StartJourneyBody = startJourneyBodyOf(subjects);

const PathSchema = z.object({ journeyId: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'a journey id')) });

export const apiDoc: ApiDoc = {
  summary: 'Start a journey for one customer (idempotent)',
  description:
    'The idempotency key (header `Idempotency-Key`, or `idempotencyKey` in the body) becomes the run id and ' +
    'the execution name: a repeat answers 200 with the first run and starts nothing, also when identical ' +
    'requests arrive at the same moment (exactly one answers 201).',
  params: PathSchema,
  headers: z.object({ 'Idempotency-Key': z.optional(IdempotencyKeySchema) }),
  body: StartJourneyBody,
  responses: {
    201: { description: 'Started', schema: JourneyRunSchema },
    200: {
      description: 'Already started with this idempotency key: the first run',
      schema: JourneyRunSchema,
    },
    404: { description: 'Unknown journey or customer' },
    409: { description: 'The idempotency key was used for another customer, subject or journey' },
  },
};

const KEY_TAKEN = 'idempotency key already used for another customer, subject or journey';

/** Returns the catalog's entry of the journey, if it lists it. */
function journeySpecOf(journeyId: string): JourneySpec | undefined {
  return (journeyCatalog as readonly JourneySpec[]).find((j) => j.id === journeyId);
}

/** The `Idempotency-Key` header wins over the body field; either becomes the execution name. */
function idempotencyKeyOf(event: APIGatewayProxyEventV2, body: z.infer<typeof StartJourneyBody>) {
  const fromHeader = header(event, 'idempotency-key');
  if (fromHeader === undefined) return body.idempotencyKey;
  const parsed = IdempotencyKeySchema.safeParse(fromHeader);
  if (!parsed.success) {
    throw new HttpError(400, 'invalid request', [
      { path: 'Idempotency-Key', message: 'up to 80 letters, digits, - or _' },
    ]);
  }
  return parsed.data;
}

export interface StartJourneyDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'putSubject' | 'listEvents'>;
  runs: Pick<RunRepository, 'getRun'> & RunStartRepository;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
  starter: JourneyStarter & ExecutionInputReader;
  clock: Clock;
  /** journeyId -> state machine ARN of this stage. */
  journeys: Record<string, string>;
  /** Counts each started run in its journey's first state. */
  positions?: Pick<RunPositionRecorder, 'moveRun'>;
  newRunId?: () => string;
  /** The communication policy: the run's first wake is the first step's slot under it (default: the file's). */
  policy?: Policy;
  /** The subject types a journey may be about; absent: `functions/subjects`. */
  subjects?: SubjectRegistry;
}

export function makeHandler(deps: StartJourneyDeps) {
  const newRunId = deps.newRunId ?? randomUUID;
  const policy = deps.policy ?? loadPolicy();
  const registry = deps.subjects ?? subjects;
  const Body = deps.subjects ? startJourneyBodyOf(registry) : StartJourneyBody;
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { journeyId } = parseParams(event.pathParameters, PathSchema);
          const stateMachineArn = deps.journeys[journeyId];
          if (!stateMachineArn) throw new HttpError(404, `unknown journey: ${journeyId}`);
          const body = parseBody(event, Body);
          const spec = journeySpecOf(journeyId);
          const expected = spec?.subject;
          if (expected && body.subject.type !== expected) {
            throw new HttpError(400, 'invalid request', [
              { path: 'subject.type', message: `${journeyId} is about a subject of type ${expected}` },
            ]);
          }
          assertMomentsWithin(
            subjectMomentRules(registry.datesOf(body.subject), 'subject.', deps.clock.now()),
          );
          const runId = idempotencyKeyOf(event, body) ?? newRunId();
          const isThisStart = (run: Pick<JourneyRun, 'customerId' | 'subjectId' | 'journeyId'>) =>
            run.customerId === body.customerId &&
            run.subjectId === body.subject.id &&
            run.journeyId === journeyId;

          // gsi1 finds the key in any customer's partition: reused for another start, it is a client bug.
          const known = await deps.runs.getRun(runId);
          if (known && !isThisStart(known)) throw new HttpError(409, KEY_TAKEN);
          const customer = await deps.customers.getCustomer(body.customerId);
          if (!customer) throw new HttpError(404, 'customer not found');

          // The journey's first Wait ends in the first step's slot, so a night start costs no extra visit;
          // a journey that starts with its Task decides its slot there (now: the start progress only).
          const firstWakeAt = spec?.plansFirstWake
            ? (
                await firstWakeNow(
                  { customers: deps.customers, policy },
                  customer,
                  deps.clock.now(),
                  firstWakeDayOf(journeyId, body.subject),
                )
              ).wakeAt
            : deps.clock.now();
          const input = {
            customerId: customer.id,
            journeyId,
            subject: body.subject,
            journey: initialJourney(firstWakeAt),
          };
          const claim: JourneyRun = {
            runId,
            journeyId,
            customerId: customer.id,
            subjectId: body.subject.id,
            executionArn: executionArnOf(stateMachineArn, runId),
            status: 'running',
            startedAt: deps.clock.now().toISOString(),
          };
          // One conditional write decides which of identical starts at the same moment is the start.
          const start = await startRunOnce(
            deps,
            stateMachineArn,
            claim,
            JSON.stringify(input),
            async (run) => {
              // Before the run starts: the journey re-reads what its subject type keeps on this item after
              // each wait (an appointment's moments, which `appointment.rescheduled` rewrites).
              const state = registry.stateAtStart(
                body.subject,
                run.customerId,
                deps.clock.now().toISOString(),
              );
              if (state) await deps.customers.putSubject(state);
            },
          );
          if (start.kind === 'id-taken') throw new HttpError(409, KEY_TAKEN);
          if (start.kind === 'already-started') {
            metrics.addMetric('JourneyStartsDeduplicated', 'Count', 1);
            return json(200, start.run);
          }
          logger.info('journey started', { journeyId, runId });
          metrics.addMetric('JourneysStarted', 'Count', 1);
          return json(201, claim, { location: `/runs/${runId}` });
        },
        (error) => logger.error('start-journey failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => makeHandler(journeyStartWiring()));
