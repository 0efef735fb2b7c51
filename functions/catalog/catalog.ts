/**
 * What Klantreis is made of, listed once: the Lambda handlers and the journeys.
 * The CDK stack and the local runtime both read this list, so a journey or handler
 * added here runs in both without further wiring.
 */

import type { JourneySpec } from './journey-spec.ts';
import type { ConsoleRole } from './roles.ts';
import type { TableAccess, TableIndexName } from './table-access.ts';

export interface HandlerSpec {
  /** Kebab-case id: the file `functions/handlers/<id>.ts` and the resource name suffix. */
  id: string;
  /** The `${…}` placeholder journeys use for this function's ARN, when journeys call it. */
  substitution?: string;
  /** The HTTP route it serves, when the API calls it. */
  route?: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    path: string;
    /** No authorization (e.g. token-verified unsubscribe links); every other route needs the stage's auth. */
    public?: boolean;
  };
  /**
   * The console may call this route: the least role that may (Cognito groups `viewer`, `agent`,
   * `editor`). The stack adds it to the console's JWT-authorized API; the handler enforces the role
   * with `requireRole` (`functions/application/caller.ts`). IAM callers keep every right.
   */
  console?: { role: ConsoleRole };
  /** What it may do with the table (`table-access.ts`); the stack grants exactly this (least privilege). */
  table: TableAccess;
  /** The secondary indexes it queries; only these are granted, by name. */
  indexes?: readonly TableIndexName[];
  /** Other capabilities the stack grants and wires (env vars, IAM), each only where listed. */
  needs?: readonly HandlerNeed[];
  /**
   * Provider feedback it receives: `email-events` from the SES configuration set through an
   * EventBridge rule, `sms-events` from the inbound-SMS and SMS-event SNS topics.
   */
  feedback?: 'email-events' | 'sms-events';
  /** It receives the ended status changes of the journeys' executions (an EventBridge rule on `aws.states`). */
  executionEnds?: true;
}

/**
 * `templates`: the `templates/` folder is compiled into the bundle (`TEMPLATES_DIR`).
 * `send-email` / `send-sms`: SES v2, and SNS or End User Messaging SMS (the stage's `sms.sender`).
 * `start-journeys`: start executions of the journeys.
 * `read-journey-runs`: describe journey executions and read their history.
 * `stop-journey-runs`: stop journey executions (GDPR erasure, exit events).
 * `complete-journey-tasks`: complete or fail journey Tasks waiting for a callback (`.waitForTaskToken`:
 * `states:SendTaskSuccess`, `states:SendTaskFailure` on the journeys' state machines).
 * `unsubscribe-key`: read the secret that signs unsubscribe links (`UNSUBSCRIBE_KEY_SECRET_ARN`).
 * `unsubscribe-link`: know the API's `/unsubscribe` address (`UNSUBSCRIBE_URL`).
 * `short-link-base`: know where an SMS's short links point (`SHORT_LINK_BASE`): the stage's `linkDomain`,
 * else the API's own address.
 * `hand-over`: put hand-over events on the stage's event bus (`HAND_OVER_BUS_NAME`) and know the
 * API's address (`API_URL`) to link the conversation.
 * `pseudonym-key`: read the stage's pseudonym key (`PSEUDONYM_KEY_SECRET_ARN`), which keys suppression
 * entries and erasure records.
 * `schedule-erasure-pass`: create one-time schedules of the erasure's second pass in the stage's
 * schedule group, passing the scheduler's role (`ERASURE_*`; `infra/constructs/erasure.ts`).
 * `erasure-pass`: the function those schedules invoke.
 * `results-stream`: invoked by the table's stream with the result-event marker items only, puts them
 * on the stage's results delivery stream (`RESULTS_DELIVERY_STREAM`; `infra/constructs/results-analysis.ts`).
 * `record-results`: records result events and run outcomes on the table (`RESULTS_RETENTION_DAYS`,
 * the stage's `resultsRetentionDays`); customers keyed by the pseudonym key (`pseudonym-key`).
 * `peek-dead-letters`: reads the depth of the stage's dead-letter queues and peeks at their messages
 * (`sqs:GetQueueAttributes`, `sqs:ReceiveMessage` on those queues only; `DEAD_LETTER_QUEUES`).
 * `read-results`: reads the results aggregates and knows how long they are kept (`RESULTS_RETENTION_DAYS`).
 * `inbound-email`: reads and deletes the raw mail SES receiving stores in the replies bucket, and knows
 * the inbound domain (`EMAIL_REPLY_DOMAIN`); the function exists only in a stage with `inboundEmail`
 * (`infra/constructs/email-replies.ts`).
 */
export type HandlerNeed =
  | 'templates'
  | 'send-email'
  | 'send-sms'
  | 'start-journeys'
  | 'read-journey-runs'
  | 'stop-journey-runs'
  | 'complete-journey-tasks'
  | 'unsubscribe-key'
  | 'unsubscribe-link'
  | 'short-link-base'
  | 'hand-over'
  | 'pseudonym-key'
  | 'schedule-erasure-pass'
  | 'erasure-pass'
  | 'results-stream'
  | 'record-results'
  | 'read-results'
  | 'peek-dead-letters'
  | 'inbound-email'
  | 'post-letters';

export const handlers = [
  // One Task per message step — goal check, decision (recorded), render, send (claims its
  // own send, deletes only that claim when the provider certainly did not take it), hand-over.
  {
    id: 'run-journey-step',
    substitution: 'RunJourneyStepFunctionArn',
    table: 'readWriteDelete',
    needs: [
      'templates',
      'unsubscribe-key',
      'unsubscribe-link',
      'short-link-base',
      'send-email',
      'send-sms',
      'hand-over',
      'complete-journey-tasks',
      'pseudonym-key',
      'record-results',
    ],
  },
  // Claims the run id with a conditional put (identical starts at the same moment start one run), finds
  // the key used for another customer on gsi1, and deletes only its own unconfirmed claim when the
  // execution name turns out to be another start's (DescribeExecution tells).
  {
    id: 'start-journey',
    route: { method: 'POST', path: '/journeys/{journeyId}/runs' },
    table: 'readWriteDelete',
    indexes: ['gsi1'],
    needs: ['start-journeys', 'read-journey-runs'],
  },
  // How each journey execution ended (EventBridge status changes), onto its run item; a run ended with
  // no outcome gets one (completed without the goal), read from the run item and counted in its results;
  // the run leaves the count of the state it waited in (one conditional transaction of updates).
  {
    id: 'record-run-status',
    table: 'readWrite',
    executionEnds: true,
    needs: ['pseudonym-key', 'record-results'],
  },
  // An exit event (invoice.paid) stops the customer's running journeys about its subject at once.
  {
    id: 'record-event',
    route: { method: 'POST', path: '/customers/{customerId}/events' },
    table: 'readWrite',
    needs: ['read-journey-runs', 'stop-journey-runs', 'start-journeys', 'pseudonym-key', 'record-results'],
  },
  // Bounces, complaints, deliveries, opens and clicks: suppressions, opt-outs, send records, timeline;
  // finds the send by provider message id on gsi1. Never deletes.
  // A complaint is handed over (EventBridge) with a link to the conversation.
  // An open, click or bounce completes the journey Task waiting for the email to be read (its callback).
  {
    id: 'record-email-feedback',
    table: 'readWrite',
    indexes: ['gsi1'],
    feedback: 'email-events',
    needs: ['hand-over', 'complete-journey-tasks', 'pseudonym-key', 'record-results'],
  },
  // Inbound SMS (STOP and replies) and SMS delivery status; finds the customer by phone hash and the
  // send by provider message id on gsi1. Never deletes.
  // A reply a person should answer is handed over (EventBridge) with a link to the conversation.
  {
    id: 'record-sms-feedback',
    table: 'readWrite',
    indexes: ['gsi1'],
    feedback: 'sms-events',
    needs: ['hand-over', 'pseudonym-key', 'record-results'],
  },
  // An email reply (SES receiving → the replies bucket → its object-created event): recorded on the
  // message its signed reply address names (conversation, behaviour event, `replied` result) and handed
  // over; the raw mail deleted once handled.
  // Only in a stage with an inbound email domain.
  {
    id: 'receive-email-reply',
    table: 'readWrite',
    needs: ['inbound-email', 'unsubscribe-key', 'hand-over', 'pseudonym-key', 'record-results'],
  },
  {
    id: 'get-conversation',
    route: { method: 'GET', path: '/customers/{customerId}/conversation' },
    console: { role: 'viewer' },
    table: 'read',
  },
  // Status from Step Functions, decisions from the timeline.
  {
    id: 'get-run',
    route: { method: 'GET', path: '/runs/{runId}' },
    console: { role: 'viewer' },
    table: 'read',
    indexes: ['gsi1'],
    needs: ['read-journey-runs'],
  },
  // The results report: funnel, experiment arms, cost per goal, from the aggregates (one Query per shard).
  {
    id: 'get-journey-results',
    route: { method: 'GET', path: '/journeys/{journeyId}/results' },
    console: { role: 'viewer' },
    table: 'read',
    needs: ['read-results'],
  },
  // The journeys drawn from their state machines, with the running runs per state (exact counters).
  {
    id: 'get-journeys',
    route: { method: 'GET', path: '/journeys' },
    console: { role: 'viewer' },
    table: 'read',
  },
  // Operators: each dead-letter queue's depth and oldest messages, peeked (nothing taken out).
  {
    id: 'get-operations-dead-letters',
    route: { method: 'GET', path: '/operations/dead-letters' },
    console: { role: 'viewer' },
    table: 'none',
    needs: ['peek-dead-letters'],
  },
  // Every template × locale × variant × channel rendered with its sample data, SMS with parts and price.
  {
    id: 'get-template-gallery',
    route: { method: 'GET', path: '/templates/gallery' },
    console: { role: 'viewer' },
    table: 'none',
    needs: ['templates'],
  },
  // Operators: failed runs by the day they ended, running runs whose next wake is overdue (gsi1, no scan).
  {
    id: 'get-operations-runs',
    route: { method: 'GET', path: '/operations/runs' },
    console: { role: 'viewer' },
    table: 'read',
    indexes: ['gsi1'],
  },
  // What this customer would get now: the journey planned for the stored profile, nothing sent; its SMS
  // counted with the templates and the stage's short links, as the step counts them.
  {
    id: 'get-customer-simulation',
    route: { method: 'GET', path: '/customers/{customerId}/simulation' },
    console: { role: 'viewer' },
    table: 'read',
    needs: ['templates', 'short-link-base'],
  },
  { id: 'put-customer', route: { method: 'PUT', path: '/customers/{customerId}' }, table: 'readWrite' },
  {
    id: 'get-customer',
    route: { method: 'GET', path: '/customers/{customerId}' },
    console: { role: 'viewer' },
    table: 'read',
  },
  // Writes the profile and one conversation entry per consent change.
  {
    id: 'set-consents',
    route: { method: 'PUT', path: '/customers/{customerId}/consents' },
    console: { role: 'agent' },
    table: 'readWrite',
  },
  {
    id: 'set-preferences',
    route: { method: 'PUT', path: '/customers/{customerId}/preferences' },
    console: { role: 'agent' },
    table: 'readWrite',
  },
  { id: 'export-customer', route: { method: 'GET', path: '/customers/{customerId}/export' }, table: 'read' },
  // Writes the erasure record, schedules the second pass, stops the customer's running journeys,
  // suppresses the addresses (keyed hashes), deletes the partition.
  {
    id: 'erase-customer',
    route: { method: 'DELETE', path: '/customers/{customerId}' },
    table: 'readWriteErase',
    needs: ['read-journey-runs', 'stop-journey-runs', 'pseudonym-key', 'schedule-erasure-pass'],
  },
  // The erasure's second pass (a one-time schedule): stops runs started since, deletes late writes,
  // records on the erasure record that it ran.
  {
    id: 'erase-late-writes',
    table: 'readWriteErase',
    needs: ['read-journey-runs', 'stop-journey-runs', 'pseudonym-key', 'erasure-pass'],
  },
  // The scheduled batch (statemachines/scheduled-batch.asl.json): select, start per batch.
  // Queries the due-date index (gsi1), and adds each page's batch results to the batch's totals.
  {
    id: 'select-due-invoices',
    substitution: 'SelectDueInvoicesFunctionArn',
    table: 'read',
    indexes: ['gsi1'],
  },
  // Records each run it starts, as start-journey does.
  {
    id: 'start-scheduled-runs',
    substitution: 'StartScheduledRunsFunctionArn',
    table: 'readWrite',
    indexes: ['gsi1'],
    needs: ['start-journeys'],
  },
  // The hand-over desk (the console): find a customer by exact email or phone (the index of its hash, gsi1),
  // their runs with where each is, and the actions a person takes, each written in the conversation with its actor.
  {
    id: 'find-customers',
    route: { method: 'GET', path: '/customers' },
    console: { role: 'viewer' },
    table: 'read',
    indexes: ['gsi1'],
  },
  // Step Functions for the state a running run is in.
  {
    id: 'list-customer-runs',
    route: { method: 'GET', path: '/customers/{customerId}/runs' },
    console: { role: 'viewer' },
    table: 'read',
    needs: ['read-journey-runs'],
  },
  // Finds the run on gsi1, stops its execution, records it aborted (an update) and the action.
  {
    id: 'stop-run',
    route: { method: 'POST', path: '/runs/{runId}/stop' },
    console: { role: 'agent' },
    table: 'readWrite',
    indexes: ['gsi1'],
    needs: ['stop-journey-runs'],
  },
  // Puts the customer's pause (every journey's next message waits for its end).
  {
    id: 'pause-customer',
    route: { method: 'PUT', path: '/customers/{customerId}/pause' },
    console: { role: 'agent' },
    table: 'readWrite',
  },
  // Deletes the pause item.
  {
    id: 'lift-pause',
    route: { method: 'DELETE', path: '/customers/{customerId}/pause' },
    console: { role: 'agent' },
    table: 'readWriteDelete',
  },
  // A promise to pay or a dispute holds the payment reminder; a dispute is handed over (EventBridge).
  {
    id: 'record-call-outcome',
    route: { method: 'POST', path: '/customers/{customerId}/call-outcomes' },
    console: { role: 'agent' },
    table: 'readWrite',
    needs: ['hand-over'],
  },
  // A call task's outcome from the contact centre (`call.completed`): holds the run's payment reminders on a
  // promise or a dispute; a dispute is handed over (EventBridge).
  {
    id: 'record-call-completed',
    route: { method: 'POST', path: '/runs/{runId}/call-completed' },
    table: 'readWrite',
    needs: ['hand-over'],
  },
  // The inbox: one gsi1 partition per status, oldest first.
  {
    id: 'list-hand-overs',
    route: { method: 'GET', path: '/hand-overs' },
    console: { role: 'viewer' },
    table: 'read',
    indexes: ['gsi1'],
  },
  // Finds the hand-over on gsi1 and records who took it (a conditional put on its status).
  {
    id: 'take-hand-over',
    route: { method: 'POST', path: '/hand-overs/{handOverId}/take' },
    console: { role: 'agent' },
    table: 'readWrite',
    indexes: ['gsi1'],
  },
  // As taking it, with the outcome; closing a dispute deletes the hold it put.
  {
    id: 'close-hand-over',
    route: { method: 'POST', path: '/hand-overs/{handOverId}/close' },
    console: { role: 'agent' },
    table: 'readWriteDelete',
    indexes: ['gsi1'],
  },
  // The page behind an unsubscribe link: checks the token, asks to confirm, changes nothing.
  {
    id: 'show-unsubscribe-page',
    route: { method: 'GET', path: '/unsubscribe', public: true },
    table: 'none',
    needs: ['unsubscribe-key'],
  },
  // A short link from an SMS: finds the code on gsi1, redirects to its stored target; the first click of a
  // link marks it (a conditional update) and records a behaviour event, a conversation entry and the
  // message's `clicked` result.
  {
    id: 'follow-short-link',
    route: { method: 'GET', path: '/s/{code}', public: true },
    table: 'readWrite',
    indexes: ['gsi1'],
    needs: ['pseudonym-key', 'record-results'],
  },
  // One-click unsubscribe (RFC 8058) and the page's button: records the opt-out.
  {
    id: 'unsubscribe',
    route: { method: 'POST', path: '/unsubscribe', public: true },
    table: 'readWrite',
    needs: ['unsubscribe-key'],
  },
  // Counted result events (the recorder's marker items, from the table's stream) → Firehose → S3, for
  // Athena. Reads the stream only, never the table.
  { id: 'ship-result-events', table: 'none', needs: ['results-stream'] },
  // The daily posting run: the letters recorded on a day (gsi1) as PDFs into the letters bucket, each
  // then marked posted. Its own function, so pdf-lib stays out of run-journey-step's bundle.
  { id: 'post-letters', table: 'readWrite', indexes: ['gsi1'], needs: ['post-letters'] },
] as const satisfies readonly HandlerSpec[];

export type HandlerId = (typeof handlers)[number]['id'];

/** The journeys, generated from their definitions (`statemachines/<id>.journey.json`). */
export { journeys } from './journeys.ts';
export type { JourneySpec };

/**
 * Scheduled batch state machines: started by EventBridge Scheduler (`schedules` in the stage config),
 * never through the API, so they are not journeys; they start journeys.
 */
export const batches = [
  { id: 'scheduled-batch', definitionFile: 'statemachines/scheduled-batch.asl.json' },
] as const satisfies readonly JourneySpec[];

/** Substitutions every journey may use besides the function ARNs. */
export const TABLE_NAME_SUBSTITUTION = 'TableName';

/** One stage value drives every resource name. */
export function resourceName(stage: string, name: string): string {
  return `klantreis-${stage}-${name}`;
}
