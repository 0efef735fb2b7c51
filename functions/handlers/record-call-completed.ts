import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { eventBridgeClient } from '#adapters/eventbridge-client.ts';
import { handOversOnBus } from '#adapters/eventbridge-hand-over.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { createDeskRepository, createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { RunIdParams } from '#application/api/console-agent.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { CALL_OUTCOMES, type CallCompletedDeps, recordCallCompleted } from '#application/call-completed.ts';
import { json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { DISPUTE_HOLD_DAYS } from '#core/hold.ts';

export const CallCompletedBody = z.strictObject({
  type: z.optional(z.literal('call.completed')),
  customerId: z.string().check(z.minLength(1), z.maxLength(128)),
  outcome: z.enum(CALL_OUTCOMES),
  /** The promised payment day, for `promise-to-pay`. */
  promisedDate: z.optional(z.iso.date()),
});

export const CallCompletedResponse = z.object({
  runId: z.string(),
  outcome: z.enum(CALL_OUTCOMES),
  heldRuns: z.array(z.string()),
  heldUntil: z.nullable(z.string()),
  handOverId: z.nullable(z.string()),
});

export const apiDoc: ApiDoc = {
  summary: 'Record the outcome of a call task (call.completed)',
  description:
    'The contact centre answers a call task for the run that asked for it. `promise-to-pay` (with `promisedDate`) ' +
    'holds the customer’s running payment reminders about the run’s subject until the promised day plus grace; ' +
    `\`dispute\` holds them for up to ${DISPUTE_HOLD_DAYS} days and hands the customer over to a person; ` +
    '`reached` and `no-answer` are recorded in the conversation; after `no-answer` the step that put the call sends ' +
    'its message on its supporting channel, or (none reachable) puts the call once more at the next free slot.',
  params: RunIdParams,
  body: CallCompletedBody,
  responses: {
    200: { description: 'The outcome is recorded', schema: CallCompletedResponse },
    404: { description: 'The run is not a run of this customer (named)' },
    409: { description: 'The run has ended already (named, with how it ended)' },
  },
};

export function makeHandler(deps: CallCompletedDeps) {
  return withObservability(async (event: APIGatewayProxyEventV2, _context: Context) =>
    respond(
      async () => {
        const { runId } = parseParams(event.pathParameters, RunIdParams);
        const body = parseBody(event, CallCompletedBody);
        const result = await recordCallCompleted(deps, {
          customerId: body.customerId,
          runId,
          outcome: body.outcome,
          ...(body.promisedDate ? { promisedDate: body.promisedDate } : {}),
        });
        metrics.addMetric('CallOutcomesRecorded', 'Count', 1);
        logger.info('call outcome recorded', { outcome: body.outcome, heldRuns: result.heldRuns.length });
        return json(200, result);
      },
      (error) => logger.error('record-call-completed failed', { error }),
    ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({ HAND_OVER_BUS_NAME: z.string().check(z.minLength(1)), API_URL: z.url() });
  const repository = createRepository();
  return makeHandler({
    runs: repository,
    holds: createDeskRepository(),
    timeline: repository,
    handOvers: handOversOnBus(repository, eventBridgeClient(), env),
    clock: systemClock,
  });
});
