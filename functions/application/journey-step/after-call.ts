/**
 * A step whose message went as a call task waits for the call's outcome (`call.completed`) until a
 * few hours after the planned call (`CALL_OUTCOME_WAIT_HOURS`), then goes on from it:
 * - no answer → the step's message on its supporting channel (e.g. an SMS or a letter after the call);
 * - no answer and no supporting channel reaches the customer → the call again, once, at the contact
 *   centre's next free slot (its own step, `<stepId>-retry`, its own call task and hour);
 * - reached, a promise, a dispute, or no outcome yet → the next step from the call, as planned.
 * The choice is a reason on the step's decision in the conversation.
 */
import { decideAndRecordStep } from '#application/decide-step.ts';
import { sendKey } from '#application/send-step.ts';
import { callOutcomeDueAt, callUnanswered } from '#core/call-outcome.ts';
import type { CustomerProfile } from '#core/customer.ts';
import { NotYet } from '#core/journey-control.ts';
import {
  journeyStepOf,
  type MessageStepConfig,
  type RunJourneyStepInput,
  type StepProgress,
} from '#core/journey-step-run.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import { type Place, spreadless } from './place.ts';
import { type Base, moveOn } from './progress.ts';
import { renderAndSend } from './render-and-send.ts';
import { decisionFact } from './step-results.ts';
import { supportingChannel } from './supporting-channel.ts';

const UNANSWERED = 'phone: no answer: the supporting channel';
const CALL_AGAIN = 'phone: no answer, no supporting channel: called again once';

/** The step's call task is planned at `callAt`: the step again when its outcome is due. */
export function awaitCallOutcome(callAt: string): NotYet {
  return new NotYet(callOutcomeDueAt(callAt), null, null, false, { supporting: false });
}

/** The step back for its call's outcome (see the module comment); `inSlot`: at its supporting channel's slot. */
export async function afterCall(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  step: MessageStepConfig,
  customer: CustomerProfile,
  base: Base,
  now: Date,
  timezone: Place,
  inSlot: boolean,
): Promise<StepProgress> {
  const record = await deps.sendRecords.getSend(
    customer.id,
    sendKey(input.runId, step.stepId, step.occurrence),
  );
  const calledAt = record?.at ?? now.toISOString();
  const called: Base = { ...base, lastMessage: { stepId: step.stepId, channel: 'phone', at: calledAt } };
  const goOn = (reasons: string[]) =>
    moveOn(input, step, called, now, timezone, {
      outcome: 'sent',
      channel: 'phone',
      reasons,
      sentAt: calledAt,
      sentChannel: 'phone',
    });
  if (!callUnanswered(await deps.timeline.listTimeline(customer.id), input.runId, step.stepId)) {
    return goOn([]);
  }
  // No supporting channel: the call again, once, at the contact centre's next free slot from now (its
  // opening hours, not the customer's window, say when); the next step counts from the first call.
  const callAgain = async () => {
    const stepId = `${step.stepId}-retry`;
    const plan = await decideAndRecordStep(
      { ...deps, policy: spreadless(deps.policy) },
      {
        runId: input.runId,
        customer,
        segment: { ...base.segment, reasons: [CALL_AGAIN] },
        step: journeyStepOf(input.journeyId, { ...step, stepId }, ['phone']),
        now,
        subject: input.subject,
      },
    );
    deps.resultFacts?.push(decisionFact(stepId, plan, base.segment.segmentId, now));
    // Not called again (blocked at send time, busy): the conversation or the metrics say so; the run goes on.
    if (plan.channel) await renderAndSend(deps, input, customer, { ...plan, channel: 'phone' });
    return goOn(plan.reasons);
  };
  return supportingChannel(deps, input, step, customer, called, now, timezone, 'phone', [UNANSWERED], {
    firstSentAt: calledAt,
    inSlot,
    afterCall: true,
    whenNoChannel: callAgain,
  });
}
