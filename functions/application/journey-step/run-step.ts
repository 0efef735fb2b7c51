/**
 * The work of the step Lambda `run-journey-step` (one Task per message step) (its handler only parses and wires):
 * everything one message step of a journey needs, in ONE invocation, so a message that goes out when
 * its step wakes costs the journey two state transitions (this Task and the next step's Wait):
 * 1. goal check (the subject's status: invoice paid, account activated, appointment cancelled) → the
 *    run ends (`Klantreis.RunEnded`, or the result itself on the journey's last step);
 * 2. segment (first step only; carried in `progress`), condition (`onlyIf`), channel (the customer's
 *    order or deliberately the supporting channel) and slot — `decideStep`, recorded with reasons —
 *    except on a visit back for the step's own maybe-sent message (its deferral says so), which reads
 *    the send record first: linked by the provider's event, the step is done as of that message;
 * 3. the slot is later → `Klantreis.NotYet` (the step's Catch waits for it and visits again); no
 *    channel → skipped, or a hand-over to a person (`onUnreachable: "hand-over"`) and the run ends;
 * 4. render and send with the send pipeline's guarantees (rate token, claim per run and step,
 *    send-time re-check, provider error classification and the named retryable errors); a
 *    permanent refusal takes the supporting channel in the same invocation; the account's rate or
 *    the provider busy (throttled, unavailable) after a few tries → `Klantreis.NotYet` a few minutes
 *    later, carrying the provider's refusals; refused on `FIRST_CHANNEL_TRIES` visits → the supporting
 *    channel, and refused there too (or none) → the journey's Catch hands over to a person;
 * 5. the next step's wake time (from this message: in the customer's window again), or the read
 *    check's (`followUpUnreadHours`: now plus the hours; at once when no check is needed).
 * The contract (input and output) is in `#core/journey-step-run.ts` and the README. This module is the
 * entry of the step's work (`runStep`, `RunJourneyStepDeps`); its parts are the other files of this
 * folder, one job each.
 */

import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { CustomerNotFound, UnknownSegment } from '#application/errors.ts';
import { segmentCustomerNow } from '#application/segment-now.ts';
import { visitStartAsLastTold, visitStepOf } from '#core/appointment-visit.ts';
import type { Channel } from '#core/customer.ts';
import { runExperimentOf } from '#core/experiment.ts';
import { holdNow, lapsedArrangementHold } from '#core/hold.ts';
import { NotYet, TooEarly } from '#core/journey-control.ts';
import {
  conditionProblem,
  isHandOverStep,
  type MessageStepConfig,
  precedingStepOutcome,
  type RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';
import type { Policy, Segment } from '#core/policy.ts';
import { subjects } from '#subjects/registry.ts';
import { afterCall, awaitCallOutcome } from './after-call.ts';
import { holdOfEarlierArrangement } from './arrangement-hold.ts';
import { collectionNoticeStep, type SentNotice, sentNoticeOf, waitingForTerm } from './collection-notice.ts';
import { decideWithOrder } from './decide-with-order.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import { armOf } from './experiment-arm.ts';
import { failedStep, handOverAndEnd, handOverStep } from './hand-over.ts';
import { heldBack, resumedAfterArrangement } from './held-back.ts';
import { type Place, placeOf, spreadless } from './place.ts';
import { type Base, endOrStop, moveOn, result } from './progress.ts';
import { readCheck } from './read-check.ts';
import {
  busyDeferral,
  busyTriesAfter,
  FIRST_CHANNEL_TRIES,
  isBusy,
  providerBusyReason,
  renderAndSend,
} from './render-and-send.ts';
import { engagementOf, linkedMaybeSent } from './settle-maybe-sent.ts';
import { withStepResults } from './step-results.ts';
import { type SupportingOptions, supportingChannel } from './supporting-channel.ts';
import { visitOf } from './visit.ts';
import { throwIfVisitMoved } from './visit-moved.ts';

export type { RunJourneyStepDeps } from './deps.ts';

/**
 * Returns what the step did and when the next step wakes (`action: "next"`; `end` after the last
 * step). Throws a control error (`#core/journey-control.ts`) for the rare outcomes the step's Catch
 * routes: `NotYet` (this step again later), `RunEnded` (the run is over before its last step),
 * `VisitMoved` (back to the appointment's reminder).
 */
export function runStep(deps: RunJourneyStepDeps, given: RunJourneyStepInput): Promise<StepProgress> {
  return withStepResults(deps, given, (observed) => runVisit(observed, given));
}

/** The visit's work; `withStepResults` records its results after it. */
async function runVisit(deps: RunJourneyStepDeps, given: RunJourneyStepInput): Promise<StepProgress> {
  if (isHandOverStep(given.step) && given.step.handOver === 'failed') {
    return failedStep(deps, given, given.step);
  }
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  let input = given;
  const visit = visitOf(input, input.step, now);
  const { progress } = visit;
  const [customer, stored, holds] = await Promise.all([
    deps.customers.getCustomer(input.customerId),
    deps.customers.getSubject(input.customerId, input.subject.id),
    deps.holds.listHolds(input.customerId),
  ]);
  if (!customer) throw new CustomerNotFound();
  deps.resultFacts?.push({ type: 'customer', country: customer.country });
  const segment = progress?.segment ?? {
    ...(await segmentCustomerNow(deps, customer, now)),
    decidedAt: nowIso,
  };
  let base: Base = {
    segment,
    lastMessage: progress?.lastMessage ?? null,
    stepId: input.step.stepId,
    ...(progress?.experiment ? { experiment: progress.experiment } : {}),
  };

  const goal = (deps.subjects ?? subjects).goalReachedReason(input.subject, stored);
  if (goal) {
    deps.resultFacts?.push({ type: 'goal', at: nowIso });
    // The conversation says why the run ended: the exit event's line when it stopped the run, else this one.
    await deps.timeline.appendTimeline({
      id: `${input.runId}.exit`,
      customerId: input.customerId,
      at: nowIso,
      kind: 'journey',
      summary: `${input.journeyId}: ended at its goal check`,
      runId: input.runId,
      journeyId: input.journeyId,
      outcome: 'goal-reached',
      reasons: [goal],
    });
    return endOrStop(
      input.step,
      result(base, { action: 'end', wakeAt: nowIso, outcome: 'goal-reached', reasons: [goal] }),
    );
  }
  if (isHandOverStep(input.step)) return handOverStep(deps, input, input.step, base, now);
  // A person holds the customer's messages (a pause, a promise to pay): this step again after it.
  const held =
    holdNow(holds, input.runId, now) ??
    (visit.afterHold
      ? undefined
      : await holdOfEarlierArrangement(deps, input, stored, holds, base.lastMessage === null, now));
  if (held) throw await heldBack(deps, input, visit, held, now);
  // A payment arrangement's hold ran out (an instalment unpaid beyond grace): the reminders go on here.
  const lapsed = visit.afterHold ? lapsedArrangementHold(holds, input.runId, now) : undefined;
  if (lapsed) await resumedAfterArrangement(deps, input, lapsed);

  const startsAt = visitStartAsLastTold(input.subject, stored);
  if (startsAt) {
    // The visit as last told: its moments set this step's slot and the next step's wake time.
    const subject = { ...input.subject, startsAt };
    const context = {
      customer,
      segment: segmentOf(deps.policy, segment.segmentId),
      policy: deps.policy,
      holidayCalendarFor,
      now,
    };
    input = { ...input, subject, step: visitStepOf(input.step, startsAt, context) };
    await throwIfVisitMoved(deps, input, startsAt, context);
  }
  // The final notice is the fourteen-day notice for a customer a collection rule covers.
  const noticed = collectionNoticeStep(
    deps.policy,
    input.step as MessageStepConfig,
    customer,
    input.subject,
    holidayCalendarFor,
  );
  const { step, notice } = noticed;
  input = { ...input, step };
  const noticeSentOn = (channel: Channel, at: Date, zone: string) =>
    notice ? sentNoticeOf(notice, channel, at, zone) : null;
  // The step's experiment: the run's arm from here on (every later step and the goal are attributed to it).
  const arm = armOf(step, customer.id, base);
  if (arm) base = { ...base, experiment: runExperimentOf(arm) };
  if (step.readCheck) return readCheck(deps, input, step, customer, visit, base, now);
  // Back for the outcome of the call the step put: the next step, or its supporting channel first.
  if (visit.awaitingCall) {
    const place = placeOf(deps, input.journeyId, step, customer, segment);
    return afterCall(
      deps,
      input,
      step,
      customer,
      base,
      now,
      place,
      visit.awaitingCall.supporting && visit.deferred,
    );
  }

  // Back for its own maybe-sent message: settled first. Linked by the provider's event meanwhile, the
  // step is done as of that message, whatever its slot would be now (the window may have closed).
  const linked = visit.maybeSent ? await linkedMaybeSent(deps, input, step, visit.maybeSent) : null;
  if (linked) {
    const engagement = await engagementOf(deps, customer, now);
    const place = placeOf(deps, input.journeyId, step, customer, segment, engagement);
    const linkedNotice = noticeSentOn(linked.channel, new Date(linked.at), place.timezone);
    if (!linked.supporting) {
      return sentProgress(input, step, base, now, place, { ...linked, reasons: [] }, linkedNotice);
    }
    // On the supporting channel: moves on from it as the supporting channel's own send does.
    const lastMessage = { stepId: linked.stepId, channel: linked.channel, at: linked.at };
    const reasons = [`${linked.channel} on the supporting channel, confirmed by its provider's event`];
    const fields = { outcome: 'sent' as const, channel: linked.channel, reasons };
    const waiting = linkedNotice
      ? waitingForTerm(step, linkedNotice, new Date(linked.at), input.subject, place.timezone)
      : step;
    return moveOn(input, waiting, { ...base, lastMessage }, now, place, fields, new Date(linked.at));
  }

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
    const skip = {
      type: 'skipped',
      reason: 'condition-not-met',
      segment: segment.segmentId,
      at: nowIso,
    } as const;
    deps.resultFacts?.push({ ...skip, stepId: step.stepId });
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
    deps.resultFacts?.push({
      type: 'skipped',
      stepId: step.precededBy.stepId,
      reason: 'condition-not-met',
      segment: segment.segmentId,
      at: nowIso,
    });
  }

  // The slot waited for is kept while it is still open for the step as it stands now; a step whose
  // constraints moved meanwhile (an appointment rescheduled, new contact pressure) gets a new slot.
  const plan = await decideWithOrder(
    visit.spreadless ? { ...deps, policy: spreadless(deps.policy) } : deps,
    input,
    step,
    customer,
    noticed.reasons.length > 0 ? { ...segment, reasons: [...segment.reasons, ...noticed.reasons] } : segment,
    base,
    now,
    !visit.deferred,
    visit.planned,
    arm ? { arm, wokenAt: wokenAtOf(input, now) } : undefined,
  );
  if (plan.skipped === 'holdout') {
    // Held back by the arm: nothing sent, and the journey moves on as if it had gone at its slot.
    const from = plan.sendAt ? new Date(plan.sendAt) : now;
    return moveOn(input, step, base, now, timezone, { outcome: 'skipped', reasons: plan.reasons }, from);
  }
  if (!plan.channel || !plan.sendAt) {
    if (plan.skipped === 'no-reachable-channel' && step.onUnreachable === 'hand-over') {
      return endOrStop(step, await handOverAndEnd(deps, input, base, 'unreachable', now, plan.reasons));
    }
    return moveOn(input, step, base, now, timezone, { outcome: 'skipped', reasons: plan.reasons });
  }
  // Its slot is later: this step again then (the step's Catch, a Pass and a Wait), with the provider's
  // refusals so far (a busy send whose retry found the window closed), and a maybe-sent message still
  // unsettled (its re-send's slot: an event that links it meanwhile still settles it first).
  if (Date.parse(plan.sendAt) > now.getTime()) {
    throw new NotYet(new Date(plan.sendAt), visit.busy, visit.maybeSent);
  }
  // The next step's wake is planned with the engagement this slot was picked with, so an engaged
  // customer's next visit wakes in their engaged hour instead of at the window's opening and deferring.
  timezone = placeOf(deps, input.journeyId, step, customer, segment, plan.engagement);
  const onSupportingChannel = (first: Channel, why: string[], options: SupportingOptions) =>
    supportingChannel(deps, input, step, customer, base, now, timezone, first, why, {
      ...options,
      ...(notice ? { collectionNotice: notice } : {}),
    });

  // The first channel's provider refused it on the step's first visits: the supporting channel, whose
  // decision the visit that moved there recorded (back at its slot, or after its own busy deferral).
  if (visit.busy?.onSupporting) {
    return onSupportingChannel(plan.channel, [providerBusyReason(plan.channel)], {
      inSlot: visit.deferred,
      busy: visit.busy,
    });
  }
  const sentNotice = noticeSentOn(plan.channel, now, timezone.timezone);
  const sent = await renderAndSend(
    deps,
    input,
    customer,
    { ...plan, channel: plan.channel },
    sentNotice ?? undefined,
  );
  if (isBusy(sent)) {
    // Refused for now: a few minutes later, a bounded number of times; then the supporting channel.
    const tries = busyTriesAfter(visit.busy, sent);
    if (tries < FIRST_CHANNEL_TRIES) throw busyDeferral(input, step, now, { tries, onSupporting: false });
    return onSupportingChannel(plan.channel, [providerBusyReason(plan.channel)], {
      busy: { tries, onSupporting: true },
      refusal: sent.error,
    });
  }
  // The provider may have accepted it: this step again when its events have had their time, settling
  // it first (the deferral says so, with what the conversation's entry needs once it is linked).
  if (sent.status === 'maybe-sent') {
    throw new NotYet(new Date(sent.reconcileBy ?? nowIso), visit.busy, {
      locale: sent.locale,
      tone: plan.tone,
      supporting: false,
    });
  }
  if ((sent.status === 'failed' || sent.status === 'skipped') && sent.fallback) {
    // Refused for good (or blocked at send time): the supporting channel, now, in this invocation.
    // Back at a deferral with the refusal recorded before: the deferral was the supporting channel's slot.
    const inSlot = visit.deferred && sent.duplicate;
    return onSupportingChannel(sent.channel, [sent.reason ?? `${sent.channel} not sent`], {
      inSlot,
      busy: visit.busy,
    });
  }
  // A call task: the step waits for the call's outcome before it moves on (`./after-call.ts`).
  if (sent.status === 'sent' && sent.channel === 'phone' && sent.callAt) throw awaitCallOutcome(sent.callAt);
  const reasons = sent.reason ? [sent.reason] : [];
  if (sent.status !== 'sent') {
    return moveOn(input, step, base, now, timezone, { outcome: sent.status, channel: null, reasons });
  }
  // A letter's next step waits from the day it is received, not the day it is posted.
  const arrival = sent.channel === plan.channel && plan.arrival ? { arrivesAt: plan.arrival.at } : {};
  return sentProgress(
    input,
    step,
    base,
    now,
    timezone,
    { ...sent, ...arrival, at: nowIso, reasons },
    sentNotice,
  );
}

/**
 * Returns the result of a step whose message went out at `message.at` (now, or a maybe-sent message a
 * provider event linked): the next step's wake counts from it, or — an email with a supporting channel
 * and `followUpUnreadHours` — the read check's.
 */
function sentProgress(
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  base: Base,
  now: Date,
  timezone: Place,
  message: { channel: Channel; at: string; fallback: Channel | null; reasons: string[]; arrivesAt?: string },
  /** The fourteen-day notice this message was: the next step waits until its term has run out. */
  notice: SentNotice | null = null,
): StepProgress {
  if (notice) {
    const waiting = waitingForTerm(step, notice, new Date(message.at), input.subject, timezone.timezone);
    const reasons = [...message.reasons, ...notice.reasons];
    return sentProgress(input, waiting, base, now, timezone, { ...message, reasons });
  }
  const after: Base = {
    ...base,
    lastMessage: { stepId: step.stepId, channel: message.channel, at: message.at },
  };
  const fields = {
    outcome: 'sent' as const,
    channel: message.channel,
    reasons: message.reasons,
    sentAt: message.at,
    sentChannel: message.channel,
  };
  if (message.channel === 'email' && message.fallback && step.followUpUnreadHours) {
    if (input.taskToken) {
      // The read check as a callback: the progress once read, kept with the email (`pending` says so);
      // its open completes the Task, a bounce or the Task's timeout takes the Catch to the read check.
      return { ...moveOn(input, step, after, now, timezone, fields), pending: 'follow-up' };
    }
    // The read check (the next Task) wakes when the email has had its hours to be read.
    return result(after, {
      ...fields,
      action: 'next',
      wakeAt: new Date(Date.parse(message.at) + step.followUpUnreadHours * 3_600_000).toISOString(),
      pending: 'follow-up',
    });
  }
  return moveOn(
    input,
    step,
    after,
    now,
    timezone,
    fields,
    message.arrivesAt ? new Date(message.arrivesAt) : undefined,
  );
}

/** Returns when the step woke: the previous Task's (or the start's) wake, the same on every visit of the step. */
function wokenAtOf(input: RunJourneyStepInput, now: Date): Date {
  const given = input.journey?.progress ?? input.progress;
  return given ? new Date(given.wakeAt) : now;
}

/** Returns the policy's segment with this id (the one segmentation chose at the run's first step). */
function segmentOf(policy: Policy, segmentId: string): Segment {
  const found = policy.segments.find((s) => s.id === segmentId);
  if (!found) throw new UnknownSegment(segmentId);
  return found;
}
