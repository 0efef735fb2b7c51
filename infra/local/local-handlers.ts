import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCallCapacity } from '#adapters/dynamo/call-capacity.ts';
import type { DynamoDeskRepository } from '#adapters/dynamo/desk.ts';
import { DynamoLetters } from '#adapters/dynamo/letters.ts';
import type { DynamoRepository } from '#adapters/dynamo/repository.ts';
import { DEFAULT_RESULTS_RETENTION_DAYS, type DynamoResultsStore } from '#adapters/dynamo/results.ts';
import type { DynamoRunPositions } from '#adapters/dynamo/run-positions.ts';
import { DynamoRunWatch } from '#adapters/dynamo/run-watch.ts';
import type { FeedbackDeps } from '#application/feedback-deps.ts';
import { stepTablePorts } from '#application/journey-step/deps.ts';
import { wiredOnFirstUse } from '#application/lambda.ts';
import { type HandlerId, journeys } from '#catalog/catalog.ts';
import type { EmailReplies } from '#core/email-reply-token.ts';
import { storedAndPublished } from '#core/hand-over-desk.ts';
import type { Policy } from '#core/policy.ts';
import type {
  CallTaskSender,
  EmailSender,
  ErasurePassScheduler,
  ExecutionInputReader,
  HandOverPublisher,
  IdempotencyRepository,
  JourneyExecutions,
  JourneyStarter,
  JourneyTaskCallbacks,
  LetterPost,
  LetterQueue,
  RateLimiter,
  RawMailStore,
  SmsSender,
  TaskCallbackRepository,
} from '#core/ports.ts';
import type { TemplateCatalog } from '#core/render.ts';
import type { ResultEventStream } from '#core/result-event-record.ts';
import type { UnsubscribeKeySource } from '#core/unsubscribe-token.ts';
import * as closeHandOver from '#handlers/close-hand-over.ts';
import * as eraseCustomer from '#handlers/erase-customer.ts';
import * as eraseLateWrites from '#handlers/erase-late-writes.ts';
import * as exportCustomer from '#handlers/export-customer.ts';
import * as findCustomers from '#handlers/find-customers.ts';
import * as followShortLink from '#handlers/follow-short-link.ts';
import * as getConversation from '#handlers/get-conversation.ts';
import * as getCustomer from '#handlers/get-customer.ts';
import * as getCustomerSimulation from '#handlers/get-customer-simulation.ts';
import * as getJourneyResults from '#handlers/get-journey-results.ts';
import * as getJourneys from '#handlers/get-journeys.ts';
import * as getOperationsDeadLetters from '#handlers/get-operations-dead-letters.ts';
import * as getOperationsRuns from '#handlers/get-operations-runs.ts';
import * as getRun from '#handlers/get-run.ts';
import * as getTemplateGallery from '#handlers/get-template-gallery.ts';
import * as liftPause from '#handlers/lift-pause.ts';
import * as listCustomerRuns from '#handlers/list-customer-runs.ts';
import * as listHandOvers from '#handlers/list-hand-overs.ts';
import * as pauseCustomer from '#handlers/pause-customer.ts';
import * as postLetters from '#handlers/post-letters.ts';
import * as putCustomer from '#handlers/put-customer.ts';
import * as receiveEmailReply from '#handlers/receive-email-reply.ts';
import * as recordCallCompleted from '#handlers/record-call-completed.ts';
import * as recordCallOutcome from '#handlers/record-call-outcome.ts';
import * as recordEmailFeedback from '#handlers/record-email-feedback.ts';
import * as recordEvent from '#handlers/record-event.ts';
import * as recordRunStatus from '#handlers/record-run-status.ts';
import * as recordSmsFeedback from '#handlers/record-sms-feedback.ts';
import * as runJourneyStep from '#handlers/run-journey-step.ts';
import * as selectDueInvoices from '#handlers/select-due-invoices.ts';
import * as setConsents from '#handlers/set-consents.ts';
import * as setPreferences from '#handlers/set-preferences.ts';
import * as shipResultEvents from '#handlers/ship-result-events.ts';
import * as showUnsubscribePage from '#handlers/show-unsubscribe-page.ts';
import * as startJourney from '#handlers/start-journey.ts';
import * as startScheduledRuns from '#handlers/start-scheduled-runs.ts';
import * as stopRun from '#handlers/stop-run.ts';
import * as takeHandOver from '#handlers/take-hand-over.ts';
import * as unsubscribe from '#handlers/unsubscribe.ts';
import type { SimulatedClock } from './simulated-clock.ts';

export interface LocalDeps {
  stage: string;
  repository: DynamoRepository;
  /** The hand-over desk's own table access: holds, hand-over records, the email index. */
  desk: DynamoDeskRepository;
  /** Result events and run outcomes, on the same table. */
  results: DynamoResultsStore;
  /** Running runs per journey position, and the operators' watch on each run. */
  positions: DynamoRunPositions;
  /** The table, for the adapters that read it beside the repository. */
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  policy: Policy;
  catalog: TemplateCatalog;
  clock: SimulatedClock;
  email: EmailSender;
  sms: SmsSender;
  /** The print-and-mail partner the posting function hands its batches to (the letter outbox). */
  letterPost: LetterPost;
  /** Where the journey step records a letter (the local runtime posts it into the letter outbox at once). */
  letters?: LetterQueue;
  starter: JourneyStarter & ExecutionInputReader;
  executions: JourneyExecutions;
  /** Completes journey Tasks waiting for a callback: the local Step Functions API. */
  taskCallbacks: JourneyTaskCallbacks;
  /** Those Tasks' callbacks, kept on the send records. */
  taskCallbackStore: TaskCallbackRepository;
  journeys: Record<string, string>;
  portalUrl: string;
  /** The account's per-second sending budget (the stage config on AWS). */
  rateLimiter: RateLimiter;
  /** The send step's claims; the repository unless a test wraps it to inject a fault. */
  idempotency?: IdempotencyRepository;
  /** The local API's `/unsubscribe` address: known once the API listens, so asked for on first render. */
  unsubscribeUrl: () => string;
  unsubscribeKey: UnsubscribeKeySource;
  /** Where emails' replies go (`Reply-To`): the local inbound domain plays SES receiving. */
  replies?: EmailReplies;
  /** The replies bucket, in memory. */
  rawMail: RawMailStore;
  /** The local hand-over outbox (the stage's event bus on AWS). */
  handOvers: HandOverPublisher;
  /** The local call list (the call queue on AWS). */
  calls?: CallTaskSender;
  /** The local API's address: known once the API listens, so asked for on first hand-over. */
  apiUrl: () => string;
  /** The local console's address, known once it listens: hand-overs link the customer's page there. */
  consoleUrl?: () => string;
  /** One-time schedules of the erasure's second pass: on the simulated clock. */
  erasurePasses: ErasurePassScheduler;
  /** Invoices per page of the scheduled batch; tests page through a few invoices with a small one. */
  duePageSize?: number;
  /** The results delivery stream (the local Firehose endpoint, through the deployed adapter). */
  resultEvents: ResultEventStream;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers differ in event and result types; each is called with its own.
type AnyLambdaHandler = (event: any, context: any) => Promise<any>;

/**
 * Each catalog handler's `makeHandler`, given the local adapters instead of the deployed ones.
 * Keyed by `HandlerId`, so a handler added to `functions/catalog/catalog.ts` without local wiring fails the
 * type check rather than the demo.
 */
export function localHandlers(deps: LocalDeps): Record<HandlerId, AnyLambdaHandler> {
  const { repository, desk, policy, clock } = deps;
  // Asked for on first use: the API's address is known only once it listens.
  // Every hand-over is kept for the console's inbox before it goes to the outbox (the event bus on AWS).
  const handOvers = storedAndPublished(repository, deps.handOvers);
  const handOverLinks = () => ({
    publisher: handOvers,
    apiBaseUrl: deps.apiUrl(),
    ...(deps.consoleUrl ? { consoleBaseUrl: deps.consoleUrl() } : {}),
  });
  const feedbackDeps = (): FeedbackDeps => ({
    results: deps.results,
    deliveries: repository,
    suppressions: repository,
    consents: repository,
    customers: repository,
    timeline: repository,
    clock,
    handOvers: handOverLinks(),
  });
  return {
    'run-journey-step': wiredOnFirstUse(() =>
      runJourneyStep.makeHandler({
        ...stepTablePorts(repository, deps.results),
        idempotency: deps.idempotency ?? repository,
        rateLimiter: deps.rateLimiter,
        email: deps.email,
        sms: deps.sms,
        ...(deps.calls ? { calls: deps.calls } : {}),
        callCapacity: new DynamoCallCapacity(deps.documentClient, deps.tableName),
        ...(deps.letters ? { letters: deps.letters } : {}),
        catalog: deps.catalog,
        policy,
        links: { portal: deps.portalUrl },
        unsubscribe: { baseUrl: deps.unsubscribeUrl(), key: deps.unsubscribeKey },
        ...(deps.replies ? { replies: deps.replies } : {}),
        // Locally an SMS's short links point at the local API, which redirects them.
        shortLinks: { base: deps.apiUrl(), store: repository },
        handOvers: handOverLinks(),
        clock,
        stage: deps.stage,
        taskTokens: { callbacks: deps.taskCallbacks, store: deps.taskCallbackStore },
        positions: deps.positions,
      }),
    ),
    'start-journey': startJourney.makeHandler({
      customers: repository,
      runs: repository,
      timeline: repository,
      starter: deps.starter,
      clock,
      journeys: deps.journeys,
      positions: deps.positions,
    }),
    'record-event': recordEvent.makeHandler({
      results: deps.results,
      customers: repository,
      timeline: repository,
      runs: repository,
      executions: deps.executions,
      clock,
      arrangements: {
        runs: repository,
        holds: desk,
        starter: deps.starter,
        journeys: deps.journeys,
        positions: deps.positions,
        policy,
      },
    }),
    'record-email-feedback': wiredOnFirstUse(() =>
      recordEmailFeedback.makeHandler({
        ...feedbackDeps(),
        taskCallbacks: { store: deps.taskCallbackStore, callbacks: deps.taskCallbacks },
      }),
    ),
    'record-sms-feedback': wiredOnFirstUse(() =>
      recordSmsFeedback.makeHandler({ ...feedbackDeps(), lookup: repository }),
    ),
    // The local inbound domain and replies bucket play SES receiving (`email-replies.ts`).
    'receive-email-reply': wiredOnFirstUse(() =>
      receiveEmailReply.makeHandler({
        ...feedbackDeps(),
        customers: repository,
        erasures: repository,
        key: deps.unsubscribeKey,
        inboundDomain: deps.replies?.inboundDomain ?? 'replies.invalid',
        mail: deps.rawMail,
      }),
    ),
    'record-run-status': recordRunStatus.makeHandler({
      runs: repository,
      results: deps.results,
      positions: deps.positions,
    }),
    'get-journeys': getJourneys.makeHandler({ counts: deps.positions, clock }),
    // The local runtime keeps no dead-letter queues: failures surface in its log at once.
    'get-operations-dead-letters': getOperationsDeadLetters.makeHandler({
      queues: {},
      peek: { peek: async () => ({ depth: 0, messages: [] }) },
      clock,
    }),
    'get-template-gallery': getTemplateGallery.makeHandler({ catalog: deps.catalog, policy }),
    // Locally a run's execution is the run's own API page, on the console's origin.
    'get-operations-runs': getOperationsRuns.makeHandler({
      watch: new DynamoRunWatch(deps.documentClient, deps.tableName),
      clock,
      executionUrlOf: (run) => `/api/runs/${encodeURIComponent(run.runId)}`,
    }),
    'get-conversation': getConversation.makeHandler({ customers: repository, conversation: repository }),
    'get-run': getRun.makeHandler({ runs: repository, timeline: repository, executions: deps.executions }),
    'put-customer': putCustomer.makeHandler({ customers: repository, clock }),
    'get-customer': getCustomer.makeHandler({ customers: repository }),
    // Its SMS counted with the local API's short links, as the local step sends them.
    'get-customer-simulation': wiredOnFirstUse(() =>
      getCustomerSimulation.makeHandler({
        customers: repository,
        policy,
        clock,
        content: { catalog: deps.catalog, smsLinkBase: deps.apiUrl() },
      }),
    ),
    'get-journey-results': getJourneyResults.makeHandler({
      results: deps.results,
      journeyIds: journeys.map((journey) => journey.id),
      // The local stage keeps results as long as a stage does by default.
      resultsRetentionDays: DEFAULT_RESULTS_RETENTION_DAYS,
    }),
    'set-consents': setConsents.makeHandler({ customers: repository, timeline: repository, clock }),
    'set-preferences': setPreferences.makeHandler({ customers: repository, timeline: repository, clock }),
    'export-customer': exportCustomer.makeHandler({ personalData: repository }),
    'erase-customer': eraseCustomer.makeHandler({
      personalData: repository,
      suppressions: repository,
      erasures: repository,
      secondPass: deps.erasurePasses,
      executions: deps.executions,
      clock,
    }),
    'erase-late-writes': eraseLateWrites.makeHandler({
      personalData: repository,
      runs: repository,
      erasures: repository,
      executions: deps.executions,
      clock,
    }),
    'find-customers': findCustomers.makeHandler({
      lookup: {
        customerIdsByPhone: (phone) => repository.customerIdsByPhone(phone),
        customerIdsByEmail: (email) => desk.customerIdsByEmail(email),
      },
      customers: repository,
    }),
    'list-customer-runs': listCustomerRuns.makeHandler({
      customers: repository,
      runs: repository,
      holds: desk,
      executions: deps.executions,
      clock,
    }),
    'stop-run': stopRun.makeHandler({
      runs: repository,
      customers: repository,
      timeline: repository,
      executions: deps.executions,
      clock,
    }),
    'pause-customer': pauseCustomer.makeHandler({
      customers: repository,
      holds: desk,
      timeline: repository,
      clock,
    }),
    'lift-pause': liftPause.makeHandler({
      customers: repository,
      holds: desk,
      timeline: repository,
      clock,
    }),
    'record-call-outcome': wiredOnFirstUse(() =>
      recordCallOutcome.makeHandler({
        customers: repository,
        runs: repository,
        holds: desk,
        timeline: repository,
        handOvers: { publisher: handOvers, apiBaseUrl: deps.apiUrl() },
        clock,
      }),
    ),
    'record-call-completed': wiredOnFirstUse(() =>
      recordCallCompleted.makeHandler({
        runs: repository,
        holds: desk,
        timeline: repository,
        handOvers: { publisher: handOvers, apiBaseUrl: deps.apiUrl() },
        clock,
      }),
    ),
    'list-hand-overs': listHandOvers.makeHandler({ handOvers: desk }),
    'take-hand-over': takeHandOver.makeHandler({
      handOvers: desk,
      customers: repository,
      timeline: repository,
      clock,
    }),
    'close-hand-over': closeHandOver.makeHandler({
      handOvers: desk,
      customers: repository,
      holds: desk,
      timeline: repository,
      clock,
    }),
    'select-due-invoices': selectDueInvoices.makeHandler({ due: repository, pageSize: deps.duePageSize }),
    'start-scheduled-runs': startScheduledRuns.makeHandler({
      customers: repository,
      runs: repository,
      timeline: repository,
      starter: deps.starter,
      clock,
      journeys: deps.journeys,
      positions: deps.positions,
    }),
    'show-unsubscribe-page': showUnsubscribePage.makeHandler({
      key: deps.unsubscribeKey,
      clock,
      portalUrl: deps.portalUrl,
    }),
    'follow-short-link': followShortLink.makeHandler({
      shortLinks: repository,
      customers: repository,
      timeline: repository,
      clock,
      results: deps.results,
    }),
    unsubscribe: unsubscribe.makeHandler({
      customers: repository,
      consents: repository,
      timeline: repository,
      key: deps.unsubscribeKey,
      clock,
      portalUrl: deps.portalUrl,
    }),
    // A refused record is put again at once: local time does not pass between attempts.
    'ship-result-events': shipResultEvents.makeHandler({ stream: deps.resultEvents, pause: async () => {} }),
    'post-letters': wiredOnFirstUse(() => {
      if (!policy.letterSender) throw new Error('templates/policy.json has no letterSender');
      return postLetters.makeHandler({
        letters: new DynamoLetters(deps.documentClient, deps.tableName),
        post: deps.letterPost,
        sender: policy.letterSender,
        clock,
      });
    }),
  };
}
