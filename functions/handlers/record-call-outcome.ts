import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { eventBridgeClient } from '#adapters/eventbridge-client.ts';
import { handOversOnBus } from '#adapters/eventbridge-hand-over.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { createDeskRepository, createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { CallOutcomeBody, CallOutcomeResponse } from '#application/api/console-agent.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import { callHoldUntil, callSummary, handOverDispute } from '#application/call-completed.ts';
import { requireRole } from '#application/caller.ts';
import { CUSTOMER_NOT_FOUND, existingCustomer } from '#application/console-desk.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { PAYMENT_REMINDER, pauseRemindersUntil } from '#application/reminder-holds.ts';
import { actionEntry, actionId } from '#core/console-action.ts';
import { DISPUTE_HOLD_DAYS, promisedDateProblem } from '#core/hold.ts';
import type {
  Clock,
  CustomerRepository,
  HandOverPublisher,
  HoldRepository,
  JourneyRun,
  RunLookup,
  TimelineRepository,
} from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Record the outcome of a call with the customer',
  description:
    '`promise-to-pay` (with `promisedDate`) makes the running payment reminders about the invoice the call was about ' +
    '(`subjectId`, or the subject of the run named by `runId`, or the one invoice the customer’s running reminders ' +
    'are about) wait: their next message goes no earlier than the start of the second day after the promised date. ' +
    `\`dispute\` holds those reminders for up to ${DISPUTE_HOLD_DAYS} days, until a person closes the hand-over it ` +
    'opens. `reached` and `no-answer` are recorded only. The outcome, who recorded it and when are written in the ' +
    'conversation; a `note` is kept as a message body is (for the body retention) and never logged.',
  params: CustomerIdParams,
  body: CallOutcomeBody,
  responses: {
    200: { description: 'The outcome is recorded', schema: CallOutcomeResponse },
    400: { description: 'No invoice named while the customer’s running reminders are about several' },
    404: { description: `${CUSTOMER_NOT_FOUND}; or the named run is not this customer’s` },
    409: { description: 'The named run has ended already, or is no payment reminder' },
  },
};

export interface RecordCallOutcomeDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  runs: RunLookup;
  holds: Pick<HoldRepository, 'putHold' | 'removeHold'>;
  timeline: TimelineRepository;
  handOvers: { publisher: HandOverPublisher; apiBaseUrl: string };
  clock: Clock;
}

/**
 * Returns the invoice a promise or dispute is about: the named run's subject (running, this customer's, a
 * payment reminder), else the named invoice, else the one invoice the running reminders are about (none:
 * nothing to hold). Several and none named: which one is the caller's to say.
 */
function heldSubjectOf(runs: JourneyRun[], body: { runId?: string; subjectId?: string }): string | undefined {
  if (body.runId !== undefined) {
    const run = runs.find((candidate) => candidate.runId === body.runId);
    if (!run) throw new HttpError(404, 'run not found: this customer has no run with this id');
    if (run.status !== 'running') throw new HttpError(409, `the run has ended already (${run.status})`);
    if (run.journeyId !== PAYMENT_REMINDER || run.subjectId === undefined) {
      throw new HttpError(409, `the run is no payment reminder about an invoice (${run.journeyId})`);
    }
    return run.subjectId;
  }
  if (body.subjectId !== undefined) return body.subjectId;
  const subjects = [
    ...new Set(
      runs
        .filter((run) => run.status === 'running' && run.journeyId === PAYMENT_REMINDER)
        .map((run) => run.subjectId)
        .filter((id): id is string => id !== undefined),
    ),
  ].sort();
  if (subjects.length > 1) {
    throw new HttpError(400, 'invalid request', [
      {
        path: 'subjectId',
        message: `name the invoice the call was about: payment reminders run about ${subjects.join(', ')}`,
      },
    ]);
  }
  return subjects[0];
}

export function makeHandler(deps: RecordCallOutcomeDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { actor } = requireRole(event, 'agent');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          const body = parseBody(event, CallOutcomeBody);
          const now = deps.clock.now();
          if (body.outcome === 'promise-to-pay') {
            const problem = promisedDateProblem(body.promisedDate as string, now);
            if (problem)
              throw new HttpError(400, 'invalid request', [{ path: 'promisedDate', message: problem }]);
          }
          await existingCustomer(deps.customers, customerId);
          const holding = body.outcome === 'promise-to-pay' || body.outcome === 'dispute';
          const subjectId = holding ? heldSubjectOf(await deps.runs.listRuns(customerId), body) : undefined;
          const until = callHoldUntil(body.outcome, body.promisedDate, now);
          // The same runs a contact centre's outcome or an arrangement holds: the invoice's running reminders.
          const held =
            subjectId !== undefined && until
              ? await pauseRemindersUntil(
                  deps,
                  customerId,
                  subjectId,
                  until,
                  {
                    kind: body.outcome === 'promise-to-pay' ? 'promise-to-pay' : 'dispute',
                    by: actor,
                    ...(body.promisedDate ? { promisedDate: body.promisedDate } : {}),
                  },
                  now,
                )
              : [];
          await deps.timeline.appendTimeline(
            actionEntry({
              id: actionId('call', now, actor),
              customerId,
              at: now,
              actor,
              summary: callSummary(body.outcome, body.promisedDate),
              ...(body.runId ? { runId: body.runId } : {}),
              reasons: held.map(
                (run) => `${run.journeyId} run ${run.runId} waits until ${(until as Date).toISOString()}`,
              ),
              ...(body.note ? { note: body.note } : {}),
            }),
          );
          const handOverId =
            body.outcome === 'dispute' ? await handOverDispute(deps, customerId, held[0], now) : null;
          metrics.addMetric('CallOutcomesRecorded', 'Count', 1);
          logger.info('call outcome recorded', { outcome: body.outcome, heldRuns: held.length });
          return json(200, {
            customerId,
            outcome: body.outcome,
            heldRuns: held.map((run) => run.runId),
            heldUntil: held.length > 0 && until ? until.toISOString() : null,
            handOverId,
          });
        },
        (error) => logger.error('record-call-outcome failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({ HAND_OVER_BUS_NAME: z.string().check(z.minLength(1)), API_URL: z.url() });
  const repository = createRepository();
  const desk = createDeskRepository();
  return makeHandler({
    customers: repository,
    runs: repository,
    holds: desk,
    timeline: repository,
    handOvers: handOversOnBus(repository, eventBridgeClient(), env),
    clock: systemClock,
  });
});
