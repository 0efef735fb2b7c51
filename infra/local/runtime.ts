// First: keeps the X-Ray SDK's async hook out of the process (see the module).
import './xray-manual-mode.ts';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createDynamoDbClient,
  createDynamoDbDocumentClient,
  createEumSmsClient,
  createFirehoseClient,
  createSesClient,
  createSfnClient,
  createSnsClient,
} from '#adapters/aws-clients.ts';
import { DynamoDeskRepository } from '#adapters/dynamo/desk.ts';
import { DynamoLetters } from '#adapters/dynamo/letters.ts';
import { type ChannelRates, DynamoRateLimiter } from '#adapters/dynamo/rate-limiter.ts';
import { dynamoRepository } from '#adapters/dynamo/repository.ts';
import { DynamoResultsStore } from '#adapters/dynamo/results.ts';
import { DynamoRunPositions } from '#adapters/dynamo/run-positions.ts';
import { DynamoTaskCallbacks } from '#adapters/dynamo/task-callbacks.ts';
import { EumSmsSender } from '#adapters/eum-sms-sender.ts';
import { FirehoseResultEvents } from '#adapters/firehose-result-events.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { localPseudonymKey } from '#adapters/pseudonym-key-source.ts';
import { SesEmailSender } from '#adapters/ses-email-sender.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { SfnJourneyStarter } from '#adapters/sfn-journey-starter.ts';
import { SfnTaskCallbacks } from '#adapters/sfn-task-callbacks.ts';
import { SnsSmsSender } from '#adapters/sns-sms-sender.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { localUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import { postLetterBatch } from '#application/post-letters.ts';
import { RESULT_EVENT_STREAM_FILTER } from '#application/result-event-stream.ts';
import {
  batches,
  type HandlerId,
  type HandlerSpec,
  handlers,
  journeys,
  resourceName,
} from '#catalog/catalog.ts';
import { tableDesign } from '#catalog/table-design.ts';
import type { EmailReplies } from '#core/email-reply-token.ts';
import { postingDayOf } from '#core/letter.ts';
import type {
  EmailSender,
  IdempotencyRepository,
  JourneyExecutions,
  LetterQueue,
  SmsSender,
} from '#core/ports.ts';
import type { TemplateCatalog } from '#core/render.ts';
import { type BatchInput, batchInputOf, type Schedule } from '#core/schedule.ts';
import { repoRoot } from '../constructs/repo-root.ts';
import { contentReport } from '../content/content-issue.ts';
import { validateJourneyDefinition } from '../content/validate-journey.ts';
import { buildSubstitutions } from '../journey-substitutions.ts';
import { loadRoutedHandlers, openApiDocument } from '../openapi.ts';
import { loadStage } from '../stages.ts';
import { type AslDefinition, substitute } from './asl.ts';
import { CallList, callListRoute } from './call-list.ts';
import { startConsoleServer } from './console-server.ts';
import { emailReplyRoute, LocalRawMail } from './email-replies.ts';
import { createTable, startDynamoDb } from './emulators/dynamodb.ts';
import { SES_WIRE, SMS_VOICE_WIRE, SNS_WIRE, startFaultFront } from './emulators/fault-front.ts';
import { startFirehose } from './emulators/firehose.ts';
import { startLetterOutbox } from './emulators/letter-outbox.ts';
import { type FaultSpec, ProviderFaults } from './emulators/provider-faults.ts';
import { startSes } from './emulators/ses.ts';
import { startSmsOutbox } from './emulators/sms-outbox.ts';
import { ExecutionStatusEvents } from './execution-status-events.ts';
import { LocalFeedbackLoop } from './feedback-loop.ts';
import { HandOverOutbox } from './hand-over-outbox.ts';
import { type LocalRoute, startHttpApi } from './http-api.ts';
import { directJsonTransport, inProcessTransport } from './in-process-http.ts';
import { JourneyEngine, type LocalLambda } from './journey-engine.ts';
import { localLambdaContext } from './lambda-context.ts';
import { localHandlers } from './local-handlers.ts';
import { Meter } from './meter.ts';
import { LocalOneTimeSchedules } from './one-time-schedules.ts';
import { SentMessages } from './sent-messages.ts';
import { SimulatedClock } from './simulated-clock.ts';
import { startStepFunctionsApi } from './stepfunctions-api.ts';
import { TableGuard } from './table-guard.ts';
import { LocalTableStream } from './table-stream.ts';

export const LOCAL_STAGE = 'local';
/** The local stage's inbound email domain: replies to its emails go to `reply+<token>@` it. */
export const LOCAL_REPLY_DOMAIN = 'replies.klantreis.local';
const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';

export interface LocalStackOptions {
  /** Port per service; 0 picks a free one (tests), fixed ports suit `npm start`. */
  ports?: Partial<
    Record<'api' | 'ses' | 'sms' | 'letters' | 'dynamodb' | 'stepFunctions' | 'console' | 'firehose', number>
  >;
  /** The built console the console server serves (default `dist/console/` in the repository). */
  consoleAssetsDir?: string;
  /** The message templates the handlers render (default `templates/`): a test's own texts and limits. */
  catalog?: TemplateCatalog;
  /** Where simulated time starts; defaults to now. */
  simulationStart?: Date;
  /**
   * The real clock world time follows (default `Date.now`). A constant one keeps world time standing
   * at `simulationStart` however long the machine takes to start the runs: a test that compares
   * minutes with a plan then reads the same on a busy machine (executions still move on through their Waits).
   */
  realClock?: () => number;
  emailFrom?: string;
  /**
   * Where emails' replies go (a stage's `emailReplyTo` / `inboundEmail`): by default signed reply
   * addresses on `LOCAL_REPLY_DOMAIN`, which `receiveEmailReply` plays SES receiving for.
   */
  replies?: EmailReplies;
  /** Sends per second per channel: the stage's SES max send rate and SMS TPS on AWS. */
  rates?: Partial<ChannelRates>;
  /** Email addresses whose messages the local feedback loop reports as opened. */
  emailOpeners?: readonly string[];
  /**
   * Provider faults the local SES and SMS endpoints answer with (`provider-faults.ts`): a spec
   * such as `sms:throttle:first=2,email:refuse:share=0.02`, or its parsed form. `npm start` reads
   * it from `--faults` or `KLANTREIS_FAULTS`.
   */
  faults?: string | FaultSpec;
  /**
   * Wraps the real senders or the send claims (dependency injection): a test can crash a send
   * between the provider call and its record, the demo can answer a message the moment it goes
   * out. Provider refusals, throttling and timeouts go through `faults` instead.
   */
  wrap?: {
    email?: (sender: EmailSender) => EmailSender;
    sms?: (sender: SmsSender) => SmsSender;
    idempotency?: (claims: IdempotencyRepository) => IdempotencyRepository;
    /** The handlers' Step Functions calls about runs (describe, stop): lets a test act as a run is stopped. */
    executions?: (executions: JourneyExecutions) => JourneyExecutions;
  };
  /**
   * The development credential non-public routes require (`Authorization: Bearer <token>`);
   * random per start unless given (or set in `KLANTREIS_DEV_TOKEN`).
   */
  apiToken?: string;
  /** Schedules `fireSchedule` knows; default: the dev stage's. */
  schedules?: readonly Schedule[];
  /** Invoices per page of the scheduled batch (default: select-due-invoices' `PAGE_SIZE`). */
  duePageSize?: number;
  /**
   * Which SMS sender the send step uses, as a stage's `sms.sender` picks it on AWS: SNS `Publish`
   * (default) or End User Messaging SMS `SendTextMessage`, whose events carry the send's context.
   * Both go to the same SMS outbox. `npm start` reads it from `--sms-sender` or `KLANTREIS_SMS_SENDER`.
   */
  smsSender?: 'sns' | 'end-user-messaging';
  /**
   * Where the results delivery stream writes the counted result events, one JSON line each under
   * `day=YYYY-MM-DD/` (`npm start`: `.local/results-events`); kept in memory only when absent.
   */
  resultEventsDir?: string;
  /** Where the letter outbox writes each letter's PDF (`npm start`: `.local/letters`); kept in memory only when absent. */
  lettersDir?: string;
}

/** Local rates: SES's default production max send rate, and a typical SMS origination throughput. */
export const LOCAL_RATES: ChannelRates = { email: 14, sms: 20, letter: 100, phone: 100 };

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;

export const localFunctionArn = (id: string) =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${resourceName(LOCAL_STAGE, id)}`;
export const localStateMachineArn = (journeyId: string) =>
  `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${resourceName(LOCAL_STAGE, journeyId)}`;

/** Reads a journey's ASL file and fills its substitutions, the way CloudFormation does on deploy. */
export async function loadJourneyDefinition(
  definitionFile: string,
  substitutions: Record<string, string>,
): Promise<AslDefinition> {
  const text = await readFile(join(repoRoot, definitionFile), 'utf8');
  // A bad step stops the local runtime as it stops cdk synth, with the file, state and field.
  const issues = validateJourneyDefinition(text, definitionFile);
  if (issues.length > 0) throw new Error(contentReport(issues));
  return JSON.parse(substitute(text, substitutions)) as AslDefinition;
}

/**
 * The whole of Klantreis on one machine: DynamoDB (dynalite), SES v2 (aws-ses-v2-local), an SMS
 * outbox for SNS, the journeys on aws-local-stepfunctions behind a Step Functions API, and the
 * HTTP API — all wired to the same handlers, ASL files and templates that run on AWS.
 */
export async function startLocalStack(options: LocalStackOptions = {}) {
  const ports = options.ports ?? {};
  const stoppers: Array<() => Promise<void>> = [];
  try {
    const dynamo = await startDynamoDb({ port: ports.dynamodb ?? 0 });
    stoppers.push(dynamo.stop);
    const tableName = resourceName(LOCAL_STAGE, 'table');
    // The runtime's own clients call the emulators in process (`in-process-http.ts`).
    const dynamoTransport = directJsonTransport(dynamo.call);
    const dynamoClient = createDynamoDbClient({
      endpoint: dynamo.endpoint,
      region: REGION,
      ...dynamoTransport,
    });
    await createTable(dynamoClient, tableName);
    // The handlers' client and the journeys' direct integrations are metered apart.
    const meter = new Meter();
    const handlerDynamoClient = createDynamoDbClient({
      endpoint: dynamo.endpoint,
      region: REGION,
      ...dynamoTransport,
    });
    meter.attach(handlerDynamoClient, 'other');
    meter.attach(dynamoClient, 'journey');
    // The handlers' table calls are held to their catalog grants, as their roles hold them on AWS.
    const tableGuard = new TableGuard();
    tableGuard.attach(handlerDynamoClient);
    const documentClient = createDynamoDbDocumentClient({ client: handlerDynamoClient });
    // The results pipeline: the table's stream → ship-result-events → the results delivery stream.
    const firehose = await startFirehose({
      port: ports.firehose ?? 0,
      deliveryStreamName: resourceName(LOCAL_STAGE, 'results'),
      ...(options.resultEventsDir ? { dir: options.resultEventsDir } : {}),
    });
    stoppers.push(firehose.stop);
    const firehoseClient = createFirehoseClient({ endpoint: firehose.endpoint, region: REGION });
    stoppers.push(async () => firehoseClient.destroy());

    const faults = new ProviderFaults(options.faults);
    const clock = new SimulatedClock(options.simulationStart ?? new Date(), options.realClock);
    // The simulated time and customer of each accepted message, which the outboxes show.
    const sentMessages = new SentMessages(clock);
    // With faults, a front takes the provider's port and answers for it (`fault-front.ts`).
    const ses = await startSes({ port: faults.active ? 0 : (ports.ses ?? 0), sentMessages });
    stoppers.push(ses.stop);
    const sesFront = faults.active
      ? await startFaultFront({ backend: ses.endpoint, wire: SES_WIRE, faults, port: ports.ses ?? 0 })
      : undefined;
    if (sesFront) stoppers.push(sesFront.stop);
    const sesEndpoint = sesFront?.endpoint ?? ses.endpoint;
    // Filled in once the handlers exist; the outbox only calls it on a request.
    let feedback: LocalFeedbackLoop | undefined;
    const sms = await startSmsOutbox({
      port: faults.active ? 0 : (ports.sms ?? 0),
      clock,
      sentMessages,
      onInbound: (reply) => {
        if (!feedback) throw new Error('local stack not started');
        return feedback.receiveSms(reply.from, reply.text);
      },
    });
    stoppers.push(sms.stop);
    const smsFront = faults.active
      ? await startFaultFront({
          backend: sms.endpoint,
          wire: options.smsSender === 'end-user-messaging' ? SMS_VOICE_WIRE : SNS_WIRE,
          faults,
          port: ports.sms ?? 0,
        })
      : undefined;
    if (smsFront) stoppers.push(smsFront.stop);
    const smsEndpoint = smsFront?.endpoint ?? sms.endpoint;
    // The print-and-mail partner: the posting function's batches land in the letter outbox.
    const letterOutbox = await startLetterOutbox({
      port: ports.letters ?? 0,
      clock,
      ...(options.lettersDir ? { dir: options.lettersDir } : {}),
    });
    stoppers.push(letterOutbox.stop);
    const repository = dynamoRepository(documentClient, tableName, {
      bodyRetentionDays: 90,
      clock,
      pseudonymKey: localPseudonymKey(LOCAL_STAGE),
    });
    // Results on the same table, keyed by the same development pseudonym key.
    const results = new DynamoResultsStore(documentClient, tableName, {
      clock,
      pseudonymKey: localPseudonymKey(LOCAL_STAGE),
    });
    const configurationSetName = resourceName(LOCAL_STAGE, 'email');
    const journeyArns = Object.fromEntries(journeys.map((j) => [j.id, localStateMachineArn(j.id)]));

    // Handlers are bound after the engine exists: start-journey reaches the engine through the
    // Step Functions API, and the engine calls the step handlers, so the map is filled below.
    const lambdas = new Map<string, LocalLambda>();
    // Likewise the status-change events of ended executions, routed once the handlers exist.
    let statusEvents: ExecutionStatusEvents | undefined;
    const substitutions = buildSubstitutions(localFunctionArn, tableName);
    const stateMachines = new Map<string, AslDefinition>();
    for (const machine of [...journeys, ...batches]) {
      stateMachines.set(
        localStateMachineArn(machine.id),
        await loadJourneyDefinition(machine.definitionFile, substitutions),
      );
    }
    const engine = new JourneyEngine({
      stateMachines,
      lambdas,
      dynamodb: dynamoClient,
      clock,
      aroundLambda: (call) => (feedback ? feedback.aroundTask(call) : call()),
      onExecutionEnded: async (execution) => statusEvents?.executionEnded(execution),
    });
    const sfnApi = await startStepFunctionsApi(engine, { port: ports.stepFunctions ?? 0 });
    stoppers.push(sfnApi.stop);
    const sfnClient = createSfnClient({
      endpoint: sfnApi.endpoint,
      region: REGION,
      ...inProcessTransport(sfnApi.listener),
    });

    const wrap = options.wrap ?? {};
    const sesSender = new SesEmailSender(createSesClient({ endpoint: sesEndpoint, region: REGION }), {
      from: options.emailFrom ?? 'Klantreis <noreply@klantreis.local>',
      configurationSetName,
    });
    const snsSender: SmsSender =
      options.smsSender === 'end-user-messaging'
        ? new EumSmsSender(createEumSmsClient({ endpoint: smsEndpoint, region: REGION }), {
            originationIdentity: `arn:aws:sms-voice:${REGION}:${ACCOUNT}:pool/pool-local`,
            configurationSetName: `${configurationSetName}-sms`,
          })
        : new SnsSmsSender(createSnsClient({ endpoint: smsEndpoint, region: REGION }), {
            senderId: 'Klantreis',
          });
    // The wiring of a Lambda on AWS: the feedback loop sits where SES and SMS report back — next to
    // the provider, inside any injected fault, so it reports what the provider accepted.
    const feedbackEmail = (sender: EmailSender) => (feedback ? feedback.emailSender(sender) : sender);
    const feedbackSms = (sender: SmsSender) => (feedback ? feedback.smsSender(sender) : sender);
    const recordedEmail = sentMessages.emailSender(sesSender);
    const recordedSms = sentMessages.smsSender(snsSender);
    const providerEmail: EmailSender = { sendEmail: (m) => feedbackEmail(recordedEmail).sendEmail(m) };
    const providerSms: SmsSender = {
      linksEvents: snsSender.linksEvents,
      providerName: snsSender.providerName,
      sendSms: (m) => feedbackSms(recordedSms).sendSms(m),
    };
    const emailSender = wrap.email ? wrap.email(providerEmail) : providerEmail;
    const smsSender = wrap.sms ? wrap.sms(providerSms) : providerSms;
    const rates = { ...LOCAL_RATES, ...options.rates };
    let apiUrl = '';
    let consoleUrl = '';
    const handOvers = new HandOverOutbox();
    // The contact centre's call queue, on the simulated clock.
    const calls = new CallList(() => clock.now());
    // The scheduler invokes the second pass as on AWS; bound once the handlers exist (below).
    let invokeErasurePass: ((input: unknown) => Promise<unknown>) | undefined;
    const erasurePasses = new LocalOneTimeSchedules(clock, (input) => {
      if (!invokeErasurePass) throw new Error('local stack not started');
      return invokeErasurePass(input);
    });
    stoppers.push(async () => erasurePasses.stop());
    // SES receiving's bucket for the inbound domain, in memory (`POST /local/email-replies`).
    const rawMail = new LocalRawMail();
    const policy = loadPolicy();
    const dynamoLetters = new DynamoLetters(documentClient, tableName);
    // Locally a letter is posted the moment the step records it (on AWS: the stage's daily posting run).
    const letterQueue: LetterQueue = {
      async queueLetter(letter) {
        const queued = await dynamoLetters.queueLetter(letter);
        if (!policy.letterSender) throw new Error('templates/policy.json has no letterSender');
        letterOutbox.expect(letter);
        await postLetterBatch(
          { letters: dynamoLetters, post: letterOutbox.post, sender: policy.letterSender, clock },
          postingDayOf(letter.recordedAt),
          [letter],
        );
        return queued;
      },
    };
    const wired = localHandlers({
      stage: LOCAL_STAGE,
      repository,
      results,
      positions: new DynamoRunPositions(documentClient, tableName),
      documentClient,
      tableName,
      policy,
      catalog: options.catalog ?? loadTemplateCatalog(defaultTemplatesDir()),
      clock,
      email: emailSender,
      sms: smsSender,
      letters: letterQueue,
      letterPost: letterOutbox.post,
      starter: new SfnJourneyStarter(sfnClient),
      executions: wrap.executions
        ? wrap.executions(new SfnJourneyExecutions(sfnClient))
        : new SfnJourneyExecutions(sfnClient),
      taskCallbacks: new SfnTaskCallbacks(sfnClient),
      taskCallbackStore: new DynamoTaskCallbacks(documentClient, tableName),
      desk: new DynamoDeskRepository(documentClient, tableName),
      journeys: journeyArns,
      portalUrl: 'https://portal.example.com',
      rateLimiter: new DynamoRateLimiter(documentClient, tableName, rates),
      ...(wrap.idempotency ? { idempotency: wrap.idempotency(repository) } : {}),
      unsubscribeUrl: () => `${apiUrl}/unsubscribe`,
      unsubscribeKey: localUnsubscribeKey,
      replies: options.replies ?? { inboundDomain: LOCAL_REPLY_DOMAIN },
      rawMail,
      handOvers,
      calls,
      apiUrl: () => apiUrl,
      consoleUrl: () => consoleUrl,
      erasurePasses,
      duePageSize: options.duePageSize,
      resultEvents: new FirehoseResultEvents(firehoseClient, firehose.deliveryStreamName),
    });

    const specs: readonly HandlerSpec[] = handlers;
    const specOf = (id: HandlerId) => specs.find((h) => h.id === id) as HandlerSpec;
    const invoke = (id: HandlerId, label: string) => {
      const name = resourceName(LOCAL_STAGE, id);
      return (payload: unknown) =>
        meter.invoke(label, () =>
          tableGuard.run(specOf(id), () => wired[id](payload, localLambdaContext(name))),
        );
    };
    for (const h of handlers) lambdas.set(localFunctionArn(h.id), invoke(h.id, 'journey'));
    invokeErasurePass = invoke('erase-late-writes', 'schedule');
    const tableStream = new LocalTableStream({
      tableName,
      keyNames: [tableDesign.partitionKey, tableDesign.sortKey],
      region: REGION,
      account: ACCOUNT,
      filter: RESULT_EVENT_STREAM_FILTER,
      consumer: invoke('ship-result-events', 'stream'),
    });
    tableStream.attach(handlerDynamoClient);
    tableStream.attach(dynamoClient);
    feedback = new LocalFeedbackLoop({
      clock,
      emailFeedback: invoke('record-email-feedback', 'feedback'),
      smsFeedback: invoke('record-sms-feedback', 'feedback'),
      configurationSetName,
      ...(options.emailOpeners ? { emailOpeners: options.emailOpeners } : {}),
      acceptedWithoutAnswer: (channel, to) =>
        channel === 'letter' || channel === 'phone' ? [] : faults.takeUnanswered(channel, to),
      region: REGION,
      account: ACCOUNT,
    });

    statusEvents = new ExecutionStatusEvents({
      journeyArns: new Set(Object.values(journeyArns)),
      handler: invoke('record-run-status', 'events'),
      region: REGION,
      account: ACCOUNT,
    });

    // The prefix keeps a random token from starting with '-', which a command line reads as an option.
    const apiToken =
      options.apiToken ?? process.env.KLANTREIS_DEV_TOKEN ?? `krdev_${randomBytes(24).toString('base64url')}`;
    const openApi = openApiDocument(await loadRoutedHandlers());
    const routes = specs.flatMap(
      (h): Array<LocalRoute & { spec: HandlerSpec }> =>
        h.route
          ? [
              {
                method: h.route.method,
                path: h.route.path,
                ...(h.route.public ? { public: true } : {}),
                spec: h,
                functionName: resourceName(LOCAL_STAGE, h.id),
                // The runs give way while a request is answered, as the API's Lambdas have their own on AWS.
                handler: (event, context) =>
                  engine.givingWay(() =>
                    meter.invoke('api', () =>
                      tableGuard.run(h, () => wired[h.id as HandlerId](event, context)),
                    ),
                  ),
              },
            ]
          : [],
    );
    const receiveReply = emailReplyRoute({
      mail: rawMail,
      clock,
      receive: invoke('receive-email-reply', 'feedback'),
    });
    routes.push({
      method: 'POST',
      path: '/local/email-replies',
      functionName: resourceName(LOCAL_STAGE, 'receive-email-reply'),
      // The local stand-in for SES receiving, not a route of the stage's API.
      spec: { id: 'receive-email-reply', table: 'readWrite' },
      handler: receiveReply,
    });
    routes.push({
      method: 'GET',
      path: '/local/calls',
      functionName: resourceName(LOCAL_STAGE, 'call-list'),
      // The local stand-in for the contact centre's call queue, not a route of the stage's API.
      spec: { id: 'call-list', table: 'none' },
      handler: callListRoute(calls),
    });
    const api = await startHttpApi(routes, {
      port: ports.api ?? 0,
      auth: { token: apiToken },
      documents: { '/openapi.json': openApi },
    });
    stoppers.push(api.stop);
    apiUrl = api.url;
    // The console calls the routes marked for it, as the console API serves only those on AWS.
    const consoleServer = await startConsoleServer({
      port: ports.console ?? 0,
      assetsDir: options.consoleAssetsDir ?? join(repoRoot, 'dist', 'console'),
      routes: routes.filter((route) => route.spec.console),
      stage: LOCAL_STAGE,
    });
    stoppers.push(consoleServer.stop);
    consoleUrl = consoleServer.url;

    const schedules = options.schedules ?? loadStage('dev').schedules;

    /**
     * Fires a schedule now, as EventBridge Scheduler would: the scheduled batch runs through the
     * same ASL with the schedule's input. Resolves with the batch execution once it has stopped.
     */
    async function fireSchedule(scheduleId: string, scheduledTime: Date = clock.now()) {
      const schedule = schedules.find((s) => s.id === scheduleId);
      if (!schedule) {
        throw new Error(`unknown schedule "${scheduleId}"; known: ${schedules.map((s) => s.id).join(', ')}`);
      }
      const input: BatchInput = batchInputOf(schedule, scheduledTime.toISOString());
      const { execution } = engine.startExecution({
        stateMachineArn: localStateMachineArn('scheduled-batch'),
        name: `${schedule.id}-${scheduledTime
          .toISOString()
          .replace(/[^0-9]/g, '')
          .slice(0, 14)}`,
        input: JSON.stringify(input),
      });
      await execution.result;
      return execution;
    }

    /**
     * Moves simulated world time on by `ms` (a journey's own time moves at its Waits) and resolves
     * once everything scheduled up to then has run, as EventBridge Scheduler would have run it.
     */
    async function advanceTime(ms: number): Promise<void> {
      clock.advanceWorld(ms);
      await erasurePasses.whenIdle();
    }

    return {
      stage: LOCAL_STAGE,
      advanceTime,
      /** The one-time schedules (the erasure's second passes): waiting and run. */
      erasurePasses,
      apiUrl: api.url,
      apiToken,
      /** The console: the built app, development sign-in, and the console's routes under `/api`. */
      consoleUrl: consoleServer.url,
      /** The console page of a customer: where a hand-over takes the person who takes it. */
      consoleCustomerUrl: consoleServer.customerUrl,
      fireSchedule,
      schedules,
      sesUrl: sesEndpoint,
      smsUrl: smsEndpoint,
      dynamoDbEndpoint: dynamo.endpoint,
      stepFunctionsEndpoint: sfnApi.endpoint,
      tableName,
      repository,
      /** The results recorder and reader on the table: the aggregates the handlers keep. */
      results,
      dynamoClient,
      engine,
      clock,
      journeyArns,
      ses,
      sms,
      /** The letters posted, with their PDFs (`GET /` lists them, `GET /letters` as JSON). */
      letterOutbox,
      letterOutboxUrl: letterOutbox.endpoint,
      feedback,
      /** Status-change events of ended journey executions their handler failed on (none when all landed). */
      runStatusFailures: statusEvents.failures,
      meter,
      /** The provider faults in force and those injected so far. */
      faults,
      /** Hand-overs to a person, as the stage's event bus would receive them. */
      handOvers,
      /** Call tasks for the contact centre, as the call queue would receive them. */
      calls,
      /**
       * The counted result events on their way to analysis: the table's stream (`flush` resolves once
       * every marker written so far is shipped; `failures`: what the dead-letter queue would hold) and
       * the results delivery stream with what it delivered (and wrote under `resultEventsDir`).
       */
      resultEvents: { stream: tableStream, firehose, dir: options.resultEventsDir },
      /** Table calls the local IAM refused (see `table-guard.ts`): empty when every grant fits. */
      tableAccessDenied: tableGuard.denied,
      /** The replies bucket SES receiving would write to: messages left there were not handled. */
      rawMail,
      /** Sends an SMS to Klantreis as the customer with this number; returns what the handler did. */
      receiveSms: (from: string, text: string) => (feedback as LocalFeedbackLoop).receiveSms(from, text),
      async stop() {
        // Whatever a test left held goes on to its end, as it would with nobody watching.
        engine.releaseAll();
        await engine.whenIdle();
        await erasurePasses.whenIdle();
        await feedback?.flush();
        await tableStream.flush();
        for (const stop of stoppers.reverse()) await stop();
        dynamoClient.destroy();
        handlerDynamoClient.destroy();
      },
    };
  } catch (error) {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}
