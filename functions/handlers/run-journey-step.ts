/**
 * The step Lambda of every journey (one Task per message step, Task → Wait): one invocation per message step. It parses the Task's
 * input, runs the step (`runStep` in `#application/journey-step/run-step.ts`: goal check, decision, render,
 * send, what comes next) and returns the progress the next Wait reads — or throws one of the control errors
 * of `#core/journey-control.ts` (the step later, the run over, back to the reminder), which the step's
 * Catch routes. Those are outcomes, not failures: logged at info level and counted on their own.
 * The contract (input and output) is in `#core/journey-step-run.ts` and the README.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DynamoCallCapacity } from '#adapters/dynamo/call-capacity.ts';
import { DynamoLetters } from '#adapters/dynamo/letters.ts';
import { DynamoRunMoves } from '#adapters/dynamo/run-moves.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { readEnv, tableEnv } from '#adapters/env.ts';
import { EventBridgeCallTaskSender } from '#adapters/eventbridge-call-task.ts';
import { eventBridgeClient } from '#adapters/eventbridge-client.ts';
import { handOversOnBus } from '#adapters/eventbridge-hand-over.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import {
  createResultsRecorder,
  createStepRepository,
  taskCallbackStore,
} from '#adapters/repository-wiring.ts';
import { createSenders } from '#adapters/sender-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnTaskCallbacks } from '#adapters/sfn-task-callbacks.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { secretsManagerUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import { stepTablePorts } from '#application/journey-step/deps.ts';
import { recordPosition } from '#application/journey-step/position.ts';
import { type RunJourneyStepDeps, runStep } from '#application/journey-step/run-step.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { countWith } from '#application/metrics.ts';
import { sendKey } from '#application/send-step.ts';
import { answerTaskToken } from '#application/task-token-step.ts';
import { withStageContactCentre } from '#core/call-planning.ts';
import { isJourneyControl, NOT_YET, NotYet, RUN_ENDED, TOO_EARLY } from '#core/journey-control.ts';
import {
  type RunJourneyStepInput,
  RunJourneyStepInputSchema,
  type StepProgress,
} from '#core/journey-step-run.ts';
import { subjects } from '#subjects/registry.ts';

export {
  RunJourneyStepInputSchema as RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';

export type { RunJourneyStepDeps };

export function makeHandler(deps: RunJourneyStepDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<StepProgress> => {
    const parsed = RunJourneyStepInputSchema.parse(event);
    // The subject strictly as its subject type declares it.
    const input = { ...parsed, subject: (deps.subjects ?? subjects).schema.parse(parsed.subject) };
    let outcome: StepProgress;
    try {
      outcome = await runStep(deps, input);
    } catch (error) {
      if (isJourneyControl(error)) {
        // A control outcome for the step's Catch; its message is a time or a fixed phrase, no personal data.
        logger.info('journey step control outcome', {
          runId: input.runId,
          stepId: input.step.stepId,
          control: error.name,
          detail: error.message,
        });
        const metric =
          error.name === NOT_YET
            ? 'StepDeferred'
            : error.name === RUN_ENDED
              ? 'RunEndedEarly'
              : error.name === TOO_EARLY
                ? 'PrecedingStepFirst'
                : 'VisitMoved';
        countWith(metric, { journeyId: input.journeyId });
        if (error instanceof NotYet)
          await recordProgress(deps, input, {
            stepId: input.step.stepId,
            wakeAt: error.wakeAt.toISOString(),
          });
      }
      await recordPosition(deps.positions, input, { error });
      throw error;
    }
    logger.info('journey step run', {
      runId: input.runId,
      stepId: outcome.stepId,
      action: outcome.action,
      outcome: outcome.outcome,
      channel: outcome.channel ?? 'none',
    });
    countWith('JourneySteps', { journeyId: input.journeyId, outcome: outcome.outcome });
    if (outcome.action === 'next') await recordProgress(deps, input, outcome);
    await recordPosition(deps.positions, input, { progress: outcome });
    if (input.taskToken) return answerToken(deps, input, outcome);
    return outcome;
  });
}

/**
 * Writes where the run is (the step it visited, when it wakes next) on its run item, for the console. It
 * only informs: a failed write is logged, never fails the step whose message may have gone out.
 */
async function recordProgress(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  outcome: Pick<StepProgress, 'stepId' | 'wakeAt' | 'experiment'>,
) {
  try {
    // The run's experiment arm too: an exit event (invoice.paid) that stops the run attributes its goal to it.
    await deps.runs.recordRunProgress(input.customerId, input.runId, {
      currentStep: outcome.stepId,
      nextWakeAt: outcome.wakeAt,
      ...(outcome.experiment ? { experiment: outcome.experiment } : {}),
    });
  } catch (error) {
    logger.warn('run progress not recorded', { runId: input.runId, error });
  }
}

/**
 * A callback Task (`.waitForTaskToken`): its result is its token's output, not this return value. An
 * email whose reading decides (`pending: "follow-up"`) keeps the token, with the progress once read,
 * for its feedback; any other outcome completes the token now. Returns the progress the token carries.
 */
async function answerToken(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  outcome: StepProgress,
): Promise<StepProgress> {
  if (!deps.taskTokens) throw new Error('run-journey-step: a callback Task needs task tokens wired');
  const awaitRead = outcome.pending === 'follow-up' && outcome.sentChannel === 'email';
  const output: StepProgress = { ...outcome, pending: null };
  const occurrence = 'occurrence' in input.step ? input.step.occurrence : undefined;
  const answered = await answerTaskToken(
    deps.taskTokens,
    input.taskToken as string,
    awaitRead
      ? {
          kind: 'await-read',
          customerId: input.customerId,
          key: sendKey(input.runId, input.step.stepId, occurrence),
          stepId: input.step.stepId,
          output,
        }
      : { kind: 'complete', output },
  );
  logger.info('journey step task token', { runId: input.runId, stepId: input.step.stepId, answered });
  return output;
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    PORTAL_URL: z._default(z.url(), 'https://portal.example.com'),
    UNSUBSCRIBE_URL: z.url({ protocol: /^https$/ }),
    UNSUBSCRIBE_KEY_SECRET_ARN: z.string().check(z.minLength(1)),
    // The stage's link domain or the API's own address: an SMS's links go out as `<base>/s/<code>`.
    SHORT_LINK_BASE: z.optional(z.url({ protocol: /^https$/ })),
    ...tableEnv,
    HAND_OVER_BUS_NAME: z.string().check(z.minLength(1)),
    API_URL: z.url(),
    // The stage's console, when it has one: hand-overs link the customer's page there too.
    CONSOLE_URL: z.optional(z.url()),
    // Where replies go: a plain mailbox, or signed addresses on the stage's inbound domain.
    EMAIL_REPLY_TO: z.optional(z.string().check(z.minLength(3))),
    EMAIL_REPLY_DOMAIN: z.optional(z.string().check(z.minLength(3))),
    // The stage's SMS sender takes replies: an SMS may offer "reply STOP" (the policy's smsOptOut).
    SMS_TWO_WAY: z.optional(z.literal('true')),
    // The stage's contact centre settings (JSON), over the policy's `contactCentre`.
    CONTACT_CENTRE: z.optional(z.string()),
  });
  const pseudonymKey = pseudonymKeyFromEnv();
  const repository = createStepRepository({ pseudonymKey });
  return makeHandler({
    ...stepTablePorts(repository, createResultsRecorder({ pseudonymKey })),
    ...createSenders(),
    catalog: loadTemplateCatalog(defaultTemplatesDir()),
    policy: withStageContactCentre(loadPolicy(), env.CONTACT_CENTRE),
    links: { portal: env.PORTAL_URL },
    smsTwoWay: env.SMS_TWO_WAY === 'true',
    unsubscribe: {
      baseUrl: env.UNSUBSCRIBE_URL,
      key: secretsManagerUnsubscribeKey(env.UNSUBSCRIBE_KEY_SECRET_ARN),
    },
    replies: {
      ...(env.EMAIL_REPLY_TO ? { address: env.EMAIL_REPLY_TO } : {}),
      ...(env.EMAIL_REPLY_DOMAIN ? { inboundDomain: env.EMAIL_REPLY_DOMAIN } : {}),
    },
    ...(env.SHORT_LINK_BASE ? { shortLinks: { base: env.SHORT_LINK_BASE, store: repository } } : {}),
    handOvers: {
      ...handOversOnBus(repository, eventBridgeClient(), env),
      ...(env.CONSOLE_URL ? { consoleBaseUrl: env.CONSOLE_URL } : {}),
    },
    clock: systemClock,
    // Calls go on the hand-over bus, where a rule queues them for the contact centre.
    calls: new EventBridgeCallTaskSender(eventBridgeClient(), env.HAND_OVER_BUS_NAME, () =>
      systemClock.now(),
    ),
    callCapacity: new DynamoCallCapacity(dynamoDbDocumentClient(), env.TABLE_NAME),
    // A few seconds of tries in the invocation cost less than a deferral (three transitions and a visit).
    quickRetries: { attempts: 3, pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    taskTokens: { callbacks: new SfnTaskCallbacks(sfnClient()), store: taskCallbackStore() },
    positions: new DynamoRunMoves(dynamoDbDocumentClient(), env.TABLE_NAME),
    // A letter is recorded in the table; the stage's posting function lays it out and posts it.
    letters: new DynamoLetters(dynamoDbDocumentClient(), env.TABLE_NAME),
  });
});
