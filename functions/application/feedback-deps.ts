/**
 * What the two delivery-feedback handlers share: record-email-feedback (SES events) and
 * record-sms-feedback (SNS: replies and delivery receipts) record into the same stores.
 */
import * as z from 'zod/mini';
import type { DynamoRepository } from '#adapters/dynamo/repository.ts';
import { eventBridgeClient } from '#adapters/eventbridge-client.ts';
import { EventBridgeHandOverPublisher } from '#adapters/eventbridge-hand-over.ts';
import { systemClock } from '#adapters/system-clock.ts';
import type { HandOverLinkBases } from '#core/hand-over.ts';
import { storedAndPublished } from '#core/hand-over-desk.ts';
import type {
  Clock,
  ConsentRepository,
  CustomerRepository,
  DeliveryRepository,
  HandOverPublisher,
  ResultEventLookup,
  SuppressionRepository,
  TimelineRepository,
} from '#core/ports.ts';
import { readEnv } from '../adapters/env.ts';
import type { ResultsPorts } from './results-recording.ts';

export interface FeedbackDeps {
  deliveries: DeliveryRepository;
  suppressions: Pick<SuppressionRepository, 'suppress'>;
  consents: ConsentRepository;
  customers: Pick<CustomerRepository, 'recordEvent'>;
  timeline: TimelineRepository;
  clock: Clock;
  /**
   * Email complaints and SMS replies a person should answer are handed over here, linking the
   * conversation on the API.
   */
  handOvers?: { publisher: HandOverPublisher } & HandOverLinkBases;
  /** Where the feedback's result events go (delivered, opened, replied, …); none recorded when absent. */
  results?: ResultsPorts & ResultEventLookup;
}

/** Returns the deployed FeedbackDeps: the table, the system clock, hand-overs on the stage's event bus. */
export function deployedFeedbackDeps(
  repository: DynamoRepository,
  results?: ResultsPorts & ResultEventLookup,
): FeedbackDeps {
  const env = readEnv({
    HAND_OVER_BUS_NAME: z.string().check(z.minLength(1)),
    API_URL: z.url(),
    CONSOLE_URL: z.optional(z.url()),
  });
  return {
    deliveries: repository,
    suppressions: repository,
    consents: repository,
    customers: repository,
    timeline: repository,
    clock: systemClock,
    ...(results ? { results } : {}),
    handOvers: {
      publisher: storedAndPublished(
        repository,
        new EventBridgeHandOverPublisher(eventBridgeClient(), env.HAND_OVER_BUS_NAME),
      ),
      apiBaseUrl: env.API_URL,
      ...(env.CONSOLE_URL ? { consoleBaseUrl: env.CONSOLE_URL } : {}),
    },
  };
}
