/**
 * The ports and settings a journey step runs with (`runStep`): the step Lambda's handler wires the
 * real ones, the local runtime and the tests pass their own.
 */

import type { ResultsPorts } from '#application/results-recording.ts';
import type { TaskTokenStepDeps } from '#application/task-token-step.ts';
import type { EmailReplies } from '#core/email-reply-token.ts';
import type { HandOverLinkBases } from '#core/hand-over.ts';
import type { Policy } from '#core/policy.ts';
import type {
  CallCapacity,
  CallTaskSender,
  Clock,
  ContactHistoryRepository,
  CustomerRepository,
  EmailSender,
  ErasureCheck,
  HandOverPublisher,
  HoldRepository,
  IdempotencyRepository,
  LetterQueue,
  RateLimiter,
  RunProgressRecorder,
  SendRecordReader,
  ShortLinkWriter,
  SmsSender,
  SuppressionRepository,
  TimelineRepository,
} from '#core/ports.ts';
import type { TemplateCatalog } from '#core/render.ts';
import type { RunPositionRecorder } from '#core/run-positions.ts';
import type { UnsubscribeKeySource } from '#core/unsubscribe-token.ts';
import type { SubjectRegistry } from '#subjects/registry.ts';
import type { StepFactSink } from './step-facts.ts';

export interface RunJourneyStepDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'listEvents' | 'getSubject'>;
  suppressions: Pick<SuppressionRepository, 'isSuppressed' | 'suppress'>;
  erasures: ErasureCheck;
  sends: ContactHistoryRepository;
  sendRecords: SendRecordReader;
  idempotency: IdempotencyRepository;
  timeline: TimelineRepository;
  /** Holds a person put on the customer's messages: a held step defers to the hold's end. */
  /** A payment reminder started under an arrangement puts the arrangement's hold on itself. */
  holds: Pick<HoldRepository, 'listHolds' | 'putHold'>;
  /** Where the run is: each visit records its step and the next wake on the run item. */
  runs: RunProgressRecorder;
  rateLimiter: RateLimiter;
  email: EmailSender;
  sms: SmsSender;
  /** The contact centre's call tasks (the phone channel); without it a call is not made. */
  calls?: CallTaskSender;
  /** The contact centre's calls per hour (the policy's `contactCentre`), counted across steps. */
  callCapacity?: CallCapacity;
  /** Where a letter to post is recorded; absent: the stage posts no letters (the step's fallback goes). */
  letters?: LetterQueue;
  catalog: TemplateCatalog;
  policy: Policy;
  links: { portal: string };
  unsubscribe: { baseUrl: string; key: UnsubscribeKeySource };
  /** Where emails' replies go (`Reply-To`): a signed address on the inbound domain, or a plain mailbox. */
  replies?: EmailReplies;
  /** The stage's SMS sender number takes replies (`sms.twoWay`): an SMS may say "reply STOP". */
  smsTwoWay?: boolean;
  /** Where an SMS's links are stored as short links (`render-step.ts`); absent: links go in full. */
  shortLinks?: { base: string; store: ShortLinkWriter; days?: number };
  handOvers: { publisher: HandOverPublisher } & HandOverLinkBases;
  clock: Clock;
  stage: string;
  /**
   * A send the account's rate refused is tried again in this invocation, in the next second, this many
   * times before the visit waits (`busyWakeAt`). Absent: no in-invocation retry (the local runtime's
   * simulated time does not move inside an invocation).
   */
  quickRetries?: { attempts: number; pause: (ms: number) => Promise<void> };
  /** Answers the token of a callback Task (`taskToken` in the input): Step Functions and the send records. */
  taskTokens?: TaskTokenStepDeps;
  /** Where the visit's result events and the run's outcome go (`step-results.ts`); none recorded when absent. */
  results?: ResultsPorts;
  /** Set by `withStepResults` for one visit: its parts report decisions, skips, hand-overs and goals here. */
  resultFacts?: StepFactSink;
  /** Records where the run waits after the step (`position.ts`); absent: not recorded. */
  positions?: Pick<RunPositionRecorder, 'moveRun'>;
  /** The subject types the step knows (goal statuses, template data and links); absent: `functions/subjects`. */
  subjects?: SubjectRegistry;
}

/** The step's ports that one table serves. */
export type StepTablePorts = Pick<
  RunJourneyStepDeps,
  | 'customers'
  | 'suppressions'
  | 'erasures'
  | 'sends'
  | 'sendRecords'
  | 'idempotency'
  | 'timeline'
  | 'holds'
  | 'runs'
  | 'results'
>;

/**
 * Returns the step's table ports, all served by one repository (DynamoDB, the local table, the tests'
 * own), and the results ports (`DynamoResults` on the same table) when given.
 */
export function stepTablePorts(
  repository: RunJourneyStepDeps['customers'] &
    RunJourneyStepDeps['suppressions'] &
    ErasureCheck &
    ContactHistoryRepository &
    SendRecordReader &
    IdempotencyRepository &
    TimelineRepository &
    Pick<HoldRepository, 'listHolds' | 'putHold'> &
    RunProgressRecorder,
  results?: ResultsPorts,
): StepTablePorts {
  return {
    ...(results ? { results } : {}),
    customers: repository,
    suppressions: repository,
    erasures: repository,
    sends: repository,
    sendRecords: repository,
    idempotency: repository,
    timeline: repository,
    holds: repository,
    runs: repository,
  };
}
