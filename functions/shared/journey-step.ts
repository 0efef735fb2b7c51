/**
 * Design C, the work of the step Lambda `run-journey-step` (its handler only parses and wires):
 * everything one message step of a journey needs, in ONE invocation, so a message that goes out when
 * its step wakes costs the journey two state transitions (this Task and the next step's Wait):
 * 1. goal check (the subject's status: invoice paid, account activated, appointment cancelled) → the
 *    run ends (`Klantreis.RunEnded`, or the result itself on the journey's last step);
 * 2. segment (first step only; carried in `progress`), condition (`onlyIf`), channel (the customer's
 *    order or deliberately the supporting channel) and slot — `decideStep`, recorded with reasons;
 * 3. the slot is later → `Klantreis.NotYet` (the step's Catch waits for it and visits again); no
 *    channel → skipped, or a hand-over to a person (`onUnreachable: "hand-over"`) and the run ends;
 * 4. render and send with the send pipeline's guarantees (rate token, claim per run and step,
 *    send-time re-check, provider error classification and the named retryable errors); a
 *    permanent refusal takes the supporting channel in the same invocation; the account's rate or
 *    the provider busy after a few tries → `Klantreis.NotYet` a few minutes later;
 * 5. the next step's wake time (from this message: in the customer's window again), or the read
 *    check's (`followUpUnreadHours`: now plus the hours; at once when no check is needed).
 * The contract (input and output) is in `#core/journey-step-run.ts` and the README.
 */
import {
  type VisitContext,
  visitAsLastTold,
  visitSlotAt,
  visitStepOf,
  visitStillAhead,
} from '#core/appointment-visit.ts';
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { decideStep } from '#core/decision.ts';
import { conversationUrlOf, handOver } from '#core/hand-over.ts';
import { deferredWakeOf, NotYet, RunEnded, TooEarly, VisitMoved } from '#core/journey-control.ts';
import {
  busyWakeAt,
  channelAttempts,
  conditionProblem,
  failureNameOf,
  goalReachedReason,
  type HandOverStepConfig,
  isHandOverStep,
  journeyStepOf,
  type MessageStepConfig,
  nextWakeAt,
  precedingStepOutcome,
  type RunJourneyStepInput,
  type StepConfig,
  type StepProgress,
  unreadReason,
} from '#core/journey-step-run.ts';
import type { Policy, Segment } from '#core/policy.ts';
import type {
  Clock,
  ContactHistoryRepository,
  CustomerRepository,
  EmailSender,
  HandOverPublisher,
  IdempotencyRepository,
  RateLimiter,
  SendRecordReader,
  SmsSender,
  SuppressionRepository,
  TimelineEntry,
  TimelineRepository,
} from '#core/ports.ts';
import type { TemplateCatalog } from '#core/render.ts';
import { resolveTimezone } from '#core/slot.ts';
import type { UnsubscribeKeySource } from '#core/unsubscribe-token.ts';
import { decideAndRecordStep, type StepPlan } from '#shared/decide-step.ts';
import { CustomerNotFound, ProviderThrottled, RateLimited, UnknownSegment } from '#shared/errors.ts';
import { metrics } from '#shared/powertools.ts';
import { renderStepMessage } from '#shared/render-step.ts';
import { segmentCustomerNow } from '#shared/segment-now.ts';
import { type SendResult, sendKey, sendStepMessage } from '#shared/send-step.ts';
import type { TaskTokenStepDeps } from '#shared/task-token-step.ts';

export interface RunJourneyStepDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'listEvents' | 'getSubject'>;
  suppressions: Pick<SuppressionRepository, 'isSuppressed' | 'suppress'>;
  sends: ContactHistoryRepository;
  sendRecords: SendRecordReader;
  idempotency: IdempotencyRepository;
  timeline: TimelineRepository;
  rateLimiter: RateLimiter;
  email: EmailSender;
  sms: SmsSender;
  catalog: TemplateCatalog;
  policy: Policy;
  links: { portal: string };
  unsubscribe: { baseUrl: string; key: UnsubscribeKeySource };
  handOvers: { publisher: HandOverPublisher; apiBaseUrl: string };
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
}

/** A send refused because the account's rate or the provider is busy: tried again, then deferred. */
const BUSY_ERRORS = new Set([new RateLimited('email').name, new ProviderThrottled('busy').name]);

type Base = Pick<StepProgress, 'segment' | 'lastMessage' | 'stepId'>;

/** Returns a result with the carried fields of the run filled in. */
function result(
  base: Base,
  fields: Partial<StepProgress> & Pick<StepProgress, 'action' | 'wakeAt' | 'outcome'>,
): StepProgress {
  return {
    channel: null,
    reasons: [],
    pending: null,
    sentAt: null,
    sentChannel: null,
    handOver: null,
    ...base,
    ...fields,
  };
}

/** How this visit of the step came about: what it plans from, and whether its decision is recorded already. */
interface Visit {
  /** The previous Task's result; null on the run's first step. */
  progress: StepProgress | null;
  /** The slot this visit keeps while it is still open (the start's first wake, or the deferral's wake). */
  planned: Date | undefined;
  /** Back at the wake this step's own deferral asked for: its decision is in the conversation already. */
  deferred: boolean;
  /** Woken at a time that carries the customer's spread already (a previous step planned it): no second spread. */
  spreadless: boolean;
  /** The run's first visit of its first step: no step ran before, no deferral. */
  firstOfRun: boolean;
}

/** Returns the visit: the progress, and the deferral the step's Pass state left (`$.journey.deferral`). */
function visitOf(input: RunJourneyStepInput, step: StepConfig, now: Date): Visit {
  const given = input.journey?.progress ?? input.progress ?? null;
  const progress = given && given.action !== 'start' ? given : null;
  // The run's first wake (start progress): planned as now plus the customer's spread by the starter.
  const start = given?.action === 'start' ? new Date(given.wakeAt) : undefined;
  const deferral = deferredWakeOf(input.journey?.deferral);
  if (deferral?.kind === 'not-yet') {
    return {
      progress,
      planned: deferral.at,
      deferred: deferral.at.getTime() <= now.getTime(),
      spreadless: false,
      firstOfRun: false,
    };
  }
  // Woken at the time the previous step planned (its send time plus whole hours or days, or a moved
  // visit's reminder slot): that time carries the customer's spread already, so the slot is not
  // spread again (else every step would be deferred once).
  const planned = deferral?.kind === 'visit-moved' || (progress !== null && progress.stepId !== step.stepId);
  return {
    progress,
    planned: start,
    deferred: false,
    spreadless: planned,
    firstOfRun: progress === null && deferral === null,
  };
}

/**
 * Returns what the step did and when the next step wakes (`action: "next"`; `end` after the last
 * step). Throws a control error (`#core/journey-control.ts`) for the rare outcomes the step's Catch
 * routes: `NotYet` (this step again later), `RunEnded` (the run is over before its last step),
 * `VisitMoved` (back to the appointment's reminder).
 */
export async function runStep(deps: RunJourneyStepDeps, given: RunJourneyStepInput): Promise<StepProgress> {
  if (isHandOverStep(given.step) && given.step.handOver === 'failed') {
    return failedStep(deps, given, given.step);
  }
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  let input = given;
  const visit = visitOf(input, input.step, now);
  const { progress } = visit;
  const [customer, stored] = await Promise.all([
    deps.customers.getCustomer(input.customerId),
    deps.customers.getSubject(input.customerId, input.subject.id),
  ]);
  if (!customer) throw new CustomerNotFound();
  const segment = progress?.segment ?? {
    ...(await segmentCustomerNow(deps, customer, now)),
    decidedAt: nowIso,
  };
  const base: Base = { segment, lastMessage: progress?.lastMessage ?? null, stepId: input.step.stepId };

  const goal = goalReachedReason(input.subject, stored);
  if (goal) {
    return endOrStop(
      input.step,
      result(base, { action: 'end', wakeAt: nowIso, outcome: 'goal-reached', reasons: [goal] }),
    );
  }
  if (isHandOverStep(input.step)) return handOverStep(deps, input, input.step, base, now);

  if (input.subject.type === 'appointment') {
    // The visit as last told: its moments set this step's slot and the next step's wake time.
    const subject = visitAsLastTold(input.subject, stored);
    const context = {
      customer,
      segment: segmentOf(deps.policy, segment.segmentId),
      policy: deps.policy,
      now,
    };
    input = { ...input, subject, step: visitStepOf(input.step, subject.startsAt, context) };
    await throwIfVisitMoved(deps, input, context);
  }
  const step = input.step as MessageStepConfig;
  if (step.readCheck) return readCheck(deps, input, step, customer, visit, base, now);

  let timezone = placeOf(deps, input.journeyId, step, customer, segment);
  const notMet = conditionProblem(step, input.subject, now, timezone.timezone);
  if (notMet) {
    await deps.timeline.appendTimeline({
      customerId: customer.id,
      at: nowIso,
      kind: 'decision',
      summary: `${input.journeyId}/${step.stepId}: skipped, condition not met`,
      runId: input.runId,
      journeyId: input.journeyId,
      stepId: step.stepId,
      templateId: step.templateId,
      outcome: 'skipped',
      reasons: [notMet],
    });
    return moveOn(input, step, base, now, timezone, { outcome: 'skipped', reasons: [notMet] });
  }
  if (step.precededBy && visit.firstOfRun) {
    const preceding = precedingStepOutcome(step.precededBy, input.subject, now, timezone.timezone);
    // Started early enough: the preceding step first (the Catch runs it; it wakes this step).
    if (preceding.first) throw new TooEarly(step.precededBy.stepId);
    // Started too late for it: recorded as that step would record its own skip.
    await deps.timeline.appendTimeline({
      customerId: customer.id,
      at: nowIso,
      kind: 'decision',
      summary: `${input.journeyId}/${step.precededBy.stepId}: skipped, condition not met`,
      runId: input.runId,
      journeyId: input.journeyId,
      stepId: step.precededBy.stepId,
      templateId: step.precededBy.templateId,
      outcome: 'skipped',
      reasons: [preceding.skipped],
    });
  }

  // The slot waited for is kept while it is still open for the step as it stands now; a step whose
  // constraints moved meanwhile (an appointment rescheduled, new contact pressure) gets a new slot.
  const plan = await decideWithOrder(
    visit.spreadless ? { ...deps, policy: spreadless(deps.policy) } : deps,
    input,
    step,
    customer,
    segment,
    base,
    now,
    !visit.deferred,
    visit.planned,
  );
  if (!plan.channel || !plan.sendAt) {
    if (plan.skipped === 'no-reachable-channel' && step.onUnreachable === 'hand-over') {
      return endOrStop(step, await handOverAndEnd(deps, input, base, 'unreachable', now, plan.reasons));
    }
    return moveOn(input, step, base, now, timezone, { outcome: 'skipped', reasons: plan.reasons });
  }
  // Its slot is later: this step again then (the step's Catch, a Pass and a Wait).
  if (Date.parse(plan.sendAt) > now.getTime()) throw new NotYet(new Date(plan.sendAt));
  // The next step's wake is planned with the engagement this slot was picked with, so an engaged
  // customer's next visit wakes in their engaged hour instead of at the window's opening and deferring.
  timezone = placeOf(deps, input.journeyId, step, customer, segment, plan.engagement);

  const sent = await renderAndSend(deps, input, customer, { ...plan, channel: plan.channel });
  if (sent === 'busy') throw busyDeferral(input, step, now);
  if ((sent.status === 'failed' || sent.status === 'skipped') && sent.fallback) {
    // Refused for good (or blocked at send time): the supporting channel, now, in this invocation.
    // Back at a deferral with the refusal recorded before: the deferral was the supporting channel's slot.
    const inSlot = visit.deferred && sent.duplicate;
    return supportingChannel(
      deps,
      input,
      step,
      customer,
      base,
      now,
      timezone,
      sent.channel,
      [sent.reason ?? `${sent.channel} not sent`],
      undefined,
      inSlot,
    );
  }
  const wentOut = sent.status === 'sent';
  const after: Base = wentOut
    ? { ...base, lastMessage: { stepId: step.stepId, channel: sent.channel, at: nowIso } }
    : base;
  const fields = {
    outcome: wentOut ? ('sent' as const) : sent.status === 'in-progress' ? ('unknown' as const) : sent.status,
    channel: wentOut ? sent.channel : null,
    reasons: sent.reason ? [sent.reason] : [],
    sentAt: wentOut ? nowIso : null,
    sentChannel: wentOut ? sent.channel : null,
  };
  if (wentOut && sent.channel === 'email' && sent.fallback && step.followUpUnreadHours) {
    if (input.taskToken) {
      // The read check as a callback: the progress once read, kept with the email (`pending` says so);
      // its open completes the Task, a bounce or the Task's timeout takes the Catch to the read check.
      return { ...moveOn(input, step, after, now, timezone, fields), pending: 'follow-up' };
    }
    // The read check (the next Task) wakes when the email has had its hours to be read.
    return result(after, {
      ...fields,
      action: 'next',
      wakeAt: new Date(now.getTime() + step.followUpUnreadHours * 3_600_000).toISOString(),
      pending: 'follow-up',
    });
  }
  return moveOn(input, step, after, now, timezone, fields);
}

/**
 * Returns the result when the step has no next step (the Task is `End: true`); throws
 * `Klantreis.RunEnded` when it has one, so the step's Catch ends the run before it (goal reached,
 * handed over). The outcome is in the conversation before this is called.
 */
function endOrStop(step: StepConfig, ended: StepProgress): StepProgress {
  if (isHandOverStep(step) || !step.next) return ended;
  throw new RunEnded(ended.outcome === 'handed-over' ? 'handed over' : 'goal reached');
}

/** Returns the deferral of a step whose send found the account's rate or the provider busy. */
function busyDeferral(input: RunJourneyStepInput, step: MessageStepConfig, now: Date): NotYet {
  metrics.addMetric('SendsDeferredBusy', 'Count', 1);
  return new NotYet(busyWakeAt(`${input.runId}#${step.stepId}`, now));
}

/** The customer's time zone, and the first slot of their window at or after a wake time. */
interface Place {
  timezone: string;
  align: (wake: Date) => Date;
}

/**
 * Returns the customer's place. `align` moves a next step's wake time into the customer's window as
 * this step's channels, purpose and segment see it, with the customer's email engagement when given
 * (send-time optimisation; no spread: the time carries this send's), so the next visit sends at once
 * instead of waking outside the window or before the engaged hour and deferring (weekend, holiday).
 */
function placeOf(
  deps: RunJourneyStepDeps,
  journeyId: string,
  step: MessageStepConfig,
  customer: CustomerProfile,
  segment: StepProgress['segment'],
  engagement: readonly number[] = [],
): Place {
  const timezone = resolveTimezone(customer, deps.policy).timezone;
  const policySegment = deps.policy.segments.find((s) => s.id === segment.segmentId);
  const policy = spreadless(deps.policy);
  return {
    timezone,
    align: (wake) => {
      if (!policySegment) return wake;
      const { sendAt } = decideStep({
        customer,
        segment: policySegment,
        tone: segment.tone,
        step: {
          ...journeyStepOf(journeyId, step),
          withinHours: undefined,
          notBefore: undefined,
          notAfter: undefined,
        },
        policy,
        now: wake,
        engagement,
      });
      return sendAt ? new Date(sendAt) : wake;
    },
  };
}

/** Returns the policy without the send-time spread (`sendTime.spreadMinutes`). */
function spreadless(policy: Policy): Policy {
  return { ...policy, sendTime: { ...policy.sendTime, spreadMinutes: 0 } };
}

/**
 * Returns the result that moves on to the next step (or ends the run after the last one). A step with
 * a read check (`followUpUnreadHours`) whose check is not needed wakes its read-check Task at once,
 * which then wakes the next step from this step's message.
 */
function moveOn(
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  base: Base,
  now: Date,
  timezone: Place,
  fields: Partial<StepProgress> & Pick<StepProgress, 'outcome'>,
  from?: Date,
): StepProgress {
  // A callback Task (`taskToken`) has no read-check Task after it on this path: the next step's wake.
  if (step.followUpUnreadHours && !step.readCheck && !input.taskToken) {
    return result(base, { ...fields, action: 'next', wakeAt: now.toISOString(), pending: null });
  }
  if (!step.next) return result(base, { ...fields, action: 'end', wakeAt: now.toISOString() });
  const wake = timezone.align(
    nextWakeAt(
      step.next,
      from ?? (fields.sentAt ? new Date(fields.sentAt) : now),
      input.subject,
      timezone.timezone,
    ),
  );
  return result(base, {
    ...fields,
    action: 'next',
    wakeAt: new Date(Math.max(wake.getTime(), now.getTime())).toISOString(),
  });
}

/** Decides the step; `supporting` order: the other channel first, else the customer's, with the reason. */
async function decideWithOrder(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  customer: CustomerProfile,
  segment: StepProgress['segment'],
  base: Base,
  now: Date,
  record: boolean,
  planned?: Date,
): Promise<StepPlan> {
  const attempts = channelAttempts(step, base.lastMessage?.channel ?? null);
  const triggeredAt = new Date(segment.decidedAt);
  let reasons: string[] = [...segment.reasons];
  let plan: StepPlan | undefined;
  for (const [i, channels] of attempts.entries()) {
    const last = i === attempts.length - 1;
    if (attempts.length > 1 && i === 0) {
      reasons.push(`supporting channel: not ${base.lastMessage?.channel}, which the previous message used`);
    }
    // Only the attempt that is kept is recorded in the conversation.
    const held: TimelineEntry[] = [];
    plan = await decideAndRecordStep(
      {
        ...deps,
        timeline: {
          appendTimeline: async (entry) => {
            held.push(entry);
          },
          listTimeline: async () => [],
        },
      },
      {
        runId: input.runId,
        customer,
        segment: { segmentId: segment.segmentId, tone: segment.tone, reasons },
        step: journeyStepOf(input.journeyId, step, channels),
        now,
        triggeredAt,
        ...(planned ? { planned } : {}),
      },
    );
    if (plan.channel || last) {
      // A kept slot is in the conversation already; a slot that moved is recorded anew.
      const kept =
        planned &&
        plan.sendAt !== null &&
        Date.parse(plan.sendAt) <= Math.max(planned.getTime(), now.getTime());
      if (record || !kept) for (const entry of held) await deps.timeline.appendTimeline(entry);
      break;
    }
    const dropped = plan.reasons.filter((r) => r.includes('dropped'));
    reasons = [
      ...segment.reasons,
      `supporting channel ${channels.join('/')} not possible (${plan.skipped}): the customer's channel instead`,
      ...dropped,
    ];
  }
  return plan as StepPlan;
}

/**
 * Renders and sends the step's message; `busy`: the account's send rate or the provider refused it
 * (throttled) through the tries in this invocation, and nothing was claimed.
 */
async function renderAndSend(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  customer: CustomerProfile,
  plan: StepPlan & { channel: Channel },
): Promise<SendResult | 'busy'> {
  const message = await renderStepMessage(deps, {
    customer,
    step: plan.step,
    channel: plan.channel,
    tone: plan.tone,
    locale: plan.locale,
    subject: input.subject,
  });
  // The profile was read at the start of this invocation: that read is the send-time re-check.
  const send = () =>
    sendStepMessage(
      { ...deps, customers: { getCustomer: async () => customer } },
      {
        runId: input.runId,
        customerId: customer.id,
        step: plan.step,
        channel: plan.channel,
        message:
          message.channel === 'email'
            ? {
                channel: 'email',
                locale: message.locale,
                subject: message.subject,
                html: message.html,
                text: message.text,
                unsubscribeUrl: message.unsubscribeUrl,
              }
            : { channel: 'sms', locale: message.locale, text: message.text },
        fallbacks: plan.fallbacks,
        tone: plan.tone,
      },
    );
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof Error) || !BUSY_ERRORS.has(error.name)) throw error;
      const quick = deps.quickRetries;
      if (!quick || attempt >= quick.attempts) return 'busy';
      // The limiter counts per second: try the next second's budget, jittered so refused sends do not herd.
      const at = deps.clock.now().getTime();
      await quick.pause(1_000 - (at % 1_000) + Math.floor(Math.random() * 250));
    }
  }
}

/**
 * Sends the step's message on the supporting channel as step `<stepId>-fallback` (its own claim), now
 * or — when its slot is later — on this step's next visit (`Klantreis.NotYet`); then moves on from the
 * step's first message. `inSlot`: back at the slot a deferral asked for (its decision is recorded).
 */
async function supportingChannel(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  customer: CustomerProfile,
  base: Base,
  now: Date,
  timezone: Place,
  first: Channel,
  why: string[],
  firstSentAt?: string,
  inSlot = false,
): Promise<StepProgress> {
  const fallbackStep = { ...step, stepId: `${step.stepId}-fallback`, channelOrder: 'customer' as const };
  const channels = step.channels.filter((c) => c !== first);
  // Back in the slot decided before: it stands, and its decision is already in the conversation.
  const quiet = { appendTimeline: async () => {}, listTimeline: async () => [] };
  // The supporting channel follows a send (now, or 48 hours after one): no spread of its own.
  const decideDeps = { ...deps, policy: spreadless(deps.policy) };
  const plan = await decideAndRecordStep(inSlot ? { ...decideDeps, timeline: quiet } : decideDeps, {
    runId: input.runId,
    customer,
    segment: { segmentId: base.segment.segmentId, tone: base.segment.tone, reasons: why },
    step: journeyStepOf(input.journeyId, fallbackStep, channels.length > 0 ? channels : step.channels),
    now,
    triggeredAt: new Date(base.segment.decidedAt),
  });
  const carried = {
    sentAt: firstSentAt ?? null,
    sentChannel: firstSentAt ? first : null,
  };
  const from = firstSentAt ? new Date(firstSentAt) : now;
  if (!plan.channel || !plan.sendAt) {
    return moveOn(
      input,
      step,
      base,
      now,
      timezone,
      {
        ...carried,
        outcome: firstSentAt ? 'sent' : 'skipped',
        channel: null,
        reasons: [...why, ...plan.reasons],
      },
      from,
    );
  }
  // Its slot is later: this step (or read check) again then; that visit finds the first message
  // unsent or unread again and takes this channel.
  if (!inSlot && Date.parse(plan.sendAt) > now.getTime()) throw new NotYet(new Date(plan.sendAt));
  const sent = await renderAndSend(deps, input, customer, plan as StepPlan & { channel: Channel });
  if (sent === 'busy') throw busyDeferral(input, step, now);
  const wentOut = sent.status === 'sent';
  metrics.addMetric('SupportingChannelSends', 'Count', wentOut ? 1 : 0);
  return moveOn(
    input,
    step,
    wentOut
      ? {
          ...base,
          lastMessage: { stepId: fallbackStep.stepId, channel: sent.channel, at: now.toISOString() },
        }
      : base,
    now,
    timezone,
    {
      ...carried,
      outcome: wentOut ? 'sent' : sent.status === 'in-progress' ? 'unknown' : sent.status,
      channel: wentOut ? sent.channel : null,
      reasons: [...why, ...(sent.reason ? [sent.reason] : [])],
    },
    from,
  );
}

/**
 * The step's read check (its own Task, `readCheck: true`): when the step's email went out with a
 * supporting channel (`pending: "follow-up"`), the email not delivered or not opened in time → the same
 * message on the supporting channel; otherwise (or when no check was needed) the next step's wake from
 * the step's message. One function, so the check can move (e.g. to a task token the open event completes).
 */
async function readCheck(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  customer: CustomerProfile,
  visit: Visit,
  base: Base,
  now: Date,
): Promise<StepProgress> {
  const timezone = placeOf(deps, input.journeyId, step, customer, base.segment);
  const progress = visit.progress?.stepId === step.stepId ? visit.progress : null;
  const carried = {
    outcome: progress?.outcome ?? ('skipped' as const),
    channel: progress?.channel ?? null,
    reasons: progress?.reasons ?? [],
    sentAt: progress?.sentAt ?? null,
    sentChannel: progress?.sentChannel ?? null,
  };
  const from = progress?.sentAt ? new Date(progress.sentAt) : now;
  // After a callback Task (`readCheckFailed`: timed out, or not deliverable) the step's result went to
  // the Catch, not here: the check works from the send record alone.
  const afterCallback = input.readCheckFailed !== undefined;
  if (!afterCallback && progress?.pending !== 'follow-up') {
    return moveOn(input, step, base, now, timezone, carried, from);
  }
  const record = await deps.sendRecords.getSend(
    customer.id,
    sendKey(input.runId, step.stepId, step.occurrence),
  );
  const first = record?.channel ?? progress?.sentChannel ?? 'email';
  const firstSentAt = record?.status === 'sent' ? record.at : (progress?.sentAt ?? undefined);
  // The run's last message is this step's email (the Task's own result, carrying it, went to the Catch).
  const checked: Base =
    afterCallback && record?.status === 'sent' && record.channel
      ? { ...base, lastMessage: { stepId: step.stepId, channel: record.channel, at: record.at } }
      : base;
  // After a callback Task `$.journey` still holds what it held before that Task, a deferral of the step
  // itself included: only a deferral after the email (this check's own, for its SMS slot) is this visit's.
  const deferred =
    afterCallback && record
      ? visit.deferred && visit.planned !== undefined && visit.planned.getTime() > Date.parse(record.at)
      : visit.deferred;
  const why = unreadReason(step.stepId, record, step.followUpUnreadHours ?? 0);
  if (!why) {
    return moveOn(
      input,
      step,
      checked,
      now,
      timezone,
      {
        outcome: 'sent',
        channel: null,
        reasons: ['the message reached the customer'],
        sentAt: firstSentAt ?? null,
        sentChannel: first,
      },
      firstSentAt ? new Date(firstSentAt) : now,
    );
  }
  return supportingChannel(
    deps,
    input,
    step,
    customer,
    checked,
    now,
    timezone,
    first,
    [why],
    firstSentAt,
    deferred,
  );
}

/**
 * A follow-up whose appointment moved later and whose reminder step has not reminded of the new start
 * yet: recorded, then `Klantreis.VisitMoved` sends the journey back to the reminder step at its slot.
 */
async function throwIfVisitMoved(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  context: VisitContext,
): Promise<void> {
  const { step, subject } = input;
  if (isHandOverStep(step) || !step.remindOfMovedVisit || subject.type !== 'appointment') return;
  if (!visitStillAhead(subject.startsAt, context.now)) return;
  const key = sendKey(input.runId, step.remindOfMovedVisit, subject.startsAt);
  if (await deps.sendRecords.getSend(input.customerId, key)) return;
  const at = visitSlotAt('reminder', subject.startsAt, context);
  if (!at) return;
  const reasons = ['the appointment moved after its reminder: first a reminder for the new time'];
  await deps.timeline.appendTimeline({
    customerId: input.customerId,
    at: context.now.toISOString(),
    kind: 'decision',
    summary: `${input.journeyId}/${step.stepId}: visit moved, ${step.remindOfMovedVisit} again`,
    runId: input.runId,
    journeyId: input.journeyId,
    stepId: step.stepId,
    templateId: step.templateId,
    outcome: 'skipped',
    reasons,
  });
  throw new VisitMoved(new Date(Math.max(at.getTime(), context.now.getTime())));
}

/** Returns the policy's segment with this id (the one segmentation chose at the run's first step). */
function segmentOf(policy: Policy, segmentId: string): Segment {
  const found = policy.segments.find((s) => s.id === segmentId);
  if (!found) throw new UnknownSegment(segmentId);
  return found;
}

/** A closing step: hands over to a person (the goal was checked before) and ends the run. */
async function handOverStep(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: HandOverStepConfig,
  base: Base,
  now: Date,
): Promise<StepProgress> {
  return handOverAndEnd(deps, input, base, step.handOver, now, [`hand-over: ${step.handOver}`]);
}

/**
 * The journey's Catch: a step failed for good. Records the failure (the error's name only) in the
 * conversation and hands over to a person (reason `failed`) unless the goal is reached or the customer
 * is gone (erased); the journey then ends in its Fail state, so the failed-runs alarm still fires.
 */
async function failedStep(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: HandOverStepConfig,
): Promise<StepProgress> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const { progress } = visitOf(input, step, now);
  const base: Base = {
    segment: progress?.segment ?? { segmentId: 'none', tone: 'friendly', reasons: [], decidedAt: nowIso },
    lastMessage: progress?.lastMessage ?? null,
    stepId: step.stepId,
  };
  const [customer, stored] = await Promise.all([
    deps.customers.getCustomer(input.customerId),
    deps.customers.getSubject(input.customerId, input.subject.id),
  ]);
  const failure = `step ${progress?.stepId ?? 'first'} failed: ${failureNameOf(input.failure)}`;
  if (!customer)
    return result(base, { action: 'end', wakeAt: nowIso, outcome: 'failed', reasons: [failure] });
  await deps.timeline.appendTimeline({
    id: `${input.runId}.${step.stepId}.failure`,
    customerId: input.customerId,
    at: nowIso,
    kind: 'journey',
    summary: `${input.journeyId}: ${failure}`,
    runId: input.runId,
    journeyId: input.journeyId,
    outcome: 'failed',
    reasons: [failure],
  });
  metrics.addMetric('JourneyStepsFailed', 'Count', 1);
  const goal = goalReachedReason(input.subject, stored);
  if (goal)
    return result(base, { action: 'end', wakeAt: nowIso, outcome: 'goal-reached', reasons: [failure, goal] });
  return handOverAndEnd(deps, input, base, 'failed', now, [failure, 'hand-over: failed']);
}

/** Hands the customer over to a person (one event per run and step) and returns the run's end. */
async function handOverAndEnd(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  base: Base,
  reason: 'unreachable' | 'no-reaction' | 'failed',
  now: Date,
  reasons: string[],
): Promise<StepProgress> {
  const stepId = base.stepId;
  await handOver(
    { publisher: deps.handOvers.publisher, timeline: deps.timeline },
    {
      // One per run and step: a retried step publishes the same id and overwrites its timeline entry.
      handOverId: `${input.runId}.${stepId}`,
      customerId: input.customerId,
      reason,
      at: now.toISOString(),
      conversationUrl: conversationUrlOf(deps.handOvers.apiBaseUrl, input.customerId),
      journeyId: input.journeyId,
      runId: input.runId,
      subjectId: input.subject.id,
    },
  );
  metrics.addMetric('HandOvers', 'Count', 1);
  return result(base, {
    action: 'end',
    wakeAt: now.toISOString(),
    outcome: 'handed-over',
    handOver: reason,
    reasons,
  });
}
