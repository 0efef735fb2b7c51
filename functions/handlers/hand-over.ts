import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { eventBridgeClient } from '#adapters/eventbridge-client.ts';
import { EventBridgeHandOverPublisher } from '#adapters/eventbridge-hand-over.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { conversationUrlOf, type HandOver, handOver } from '#core/hand-over.ts';
import type { Clock, HandOverPublisher, TimelineRepository } from '#core/ports.ts';
import { readEnv } from '#shared/env.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

/** A journey step: `reason` says why automated contact stops here. */
export const HandOverInput = z.object({
  runId: z.string().min(1),
  customerId: z.string().min(1),
  journeyId: z.string().min(1),
  stepId: z.string().min(1),
  reason: z.enum(['unreachable', 'no-reaction', 'complaint', 'reply']),
  subjectId: z.string().min(1).optional(),
});

export interface HandOverDeps {
  publisher: HandOverPublisher;
  timeline: TimelineRepository;
  clock: Clock;
  /** The stage API's base URL: the hand-over links to the customer's conversation there. */
  apiBaseUrl: string;
}

/** Returns the published hand-over (ids and a link only), which the journey keeps in its state. */
export function makeHandler(deps: HandOverDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<HandOver> => {
    const input = HandOverInput.parse(event);
    const published = await handOver(deps, {
      // One per run and step: a retried step publishes the same id and overwrites its timeline entry.
      handOverId: `${input.runId}.${input.stepId}`,
      customerId: input.customerId,
      reason: input.reason,
      at: deps.clock.now().toISOString(),
      conversationUrl: conversationUrlOf(deps.apiBaseUrl, input.customerId),
      journeyId: input.journeyId,
      runId: input.runId,
      ...(input.subjectId ? { subjectId: input.subjectId } : {}),
    });
    logger.info('handed over to a person', { journeyId: input.journeyId, reason: input.reason });
    metrics.addMetric('HandOvers', 'Count', 1);
    return published;
  });
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({ HAND_OVER_BUS_NAME: z.string().min(1), API_URL: z.url() });
  const repository = createRepository();
  return makeHandler({
    publisher: new EventBridgeHandOverPublisher(eventBridgeClient(), env.HAND_OVER_BUS_NAME),
    timeline: repository,
    clock: systemClock,
    apiBaseUrl: env.API_URL,
  });
});
