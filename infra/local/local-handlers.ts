import type { DynamoRepository } from '#adapters/dynamo-repository.ts';
import type { Policy } from '#core/policy.ts';
import type {
  EmailSender,
  IdempotencyRepository,
  JourneyStarter,
  RateLimiter,
  SmsSender,
} from '#core/ports.ts';
import type { TemplateCatalog } from '#core/render.ts';
import * as getConversation from '#handlers/get-conversation.ts';
import * as pickChannelAndSlot from '#handlers/pick-channel-and-slot.ts';
import * as recordEmailFeedback from '#handlers/record-email-feedback.ts';
import * as recordEvent from '#handlers/record-event.ts';
import * as recordSmsFeedback from '#handlers/record-sms-feedback.ts';
import * as renderMessage from '#handlers/render-message.ts';
import * as segmentCustomer from '#handlers/segment-customer.ts';
import * as sendMessage from '#handlers/send-message.ts';
import * as startJourney from '#handlers/start-journey.ts';
import type { HandlerId } from '../catalog.ts';
import type { SimulatedClock } from './simulated-clock.ts';

export interface LocalDeps {
  stage: string;
  repository: DynamoRepository;
  policy: Policy;
  catalog: TemplateCatalog;
  clock: SimulatedClock;
  email: EmailSender;
  sms: SmsSender;
  starter: JourneyStarter;
  journeys: Record<string, string>;
  portalUrl: string;
  /** The account's per-second sending budget (the stage config on AWS). */
  rateLimiter: RateLimiter;
  /** The send step's claims; the repository unless a test wraps it to inject a fault. */
  idempotency?: IdempotencyRepository;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers differ in event and result types; each is called with its own.
type AnyLambdaHandler = (event: any, context: any) => Promise<any>;

/**
 * Each catalog handler's `makeHandler`, given the local adapters instead of the deployed ones.
 * Keyed by `HandlerId`, so a handler added to `infra/catalog.ts` without local wiring fails the
 * type check rather than the demo.
 */
export function localHandlers(deps: LocalDeps): Record<HandlerId, AnyLambdaHandler> {
  const { repository, policy, clock } = deps;
  return {
    'segment-customer': segmentCustomer.makeHandler({ customers: repository, policy, clock }),
    'pick-channel-and-slot': pickChannelAndSlot.makeHandler({
      customers: repository,
      suppressions: repository,
      sends: repository,
      timeline: repository,
      policy,
      clock,
    }),
    'render-message': renderMessage.makeHandler({
      customers: repository,
      catalog: deps.catalog,
      policy,
      links: { portal: deps.portalUrl },
    }),
    'send-message': sendMessage.makeHandler({
      customers: repository,
      idempotency: deps.idempotency ?? repository,
      timeline: repository,
      suppressions: repository,
      rateLimiter: deps.rateLimiter,
      email: deps.email,
      sms: deps.sms,
      clock,
      stage: deps.stage,
    }),
    'start-journey': startJourney.makeHandler({
      customers: repository,
      runs: repository,
      timeline: repository,
      starter: deps.starter,
      clock,
      journeys: deps.journeys,
    }),
    'record-event': recordEvent.makeHandler({ customers: repository, timeline: repository, clock }),
    'record-email-feedback': recordEmailFeedback.makeHandler({
      deliveries: repository,
      suppressions: repository,
      consents: repository,
      customers: repository,
      timeline: repository,
      clock,
    }),
    'record-sms-feedback': recordSmsFeedback.makeHandler({
      lookup: repository,
      deliveries: repository,
      suppressions: repository,
      consents: repository,
      customers: repository,
      timeline: repository,
      clock,
    }),
    'get-conversation': getConversation.makeHandler({ customers: repository, conversation: repository }),
  };
}
