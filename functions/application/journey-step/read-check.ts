/**
 * The read check of a step whose email went out with a supporting channel (its own Task, or the Catch
 * of a callback Task): unread or undelivered in time → the supporting channel; otherwise the next
 * step's wake from the step's message.
 */

import { sendKey } from '#application/send-step.ts';
import type { CustomerProfile } from '#core/customer.ts';
import {
  type MessageStepConfig,
  type RunJourneyStepInput,
  type StepProgress,
  unreadReason,
} from '#core/journey-step-run.ts';
import type { RunJourneyStepDeps } from './deps.ts';
import { placeOf } from './place.ts';
import { type Base, moveOn } from './progress.ts';
import { supportingChannel } from './supporting-channel.ts';
import type { Visit } from './visit.ts';

/**
 * The step's read check (its own Task, `readCheck: true`): when the step's email went out with a
 * supporting channel (`pending: "follow-up"`), the email not delivered or not opened in time → the same
 * message on the supporting channel; otherwise (or when no check was needed) the next step's wake from
 * the step's message. One function, so the check can move (e.g. to a task token the open event completes).
 */
export async function readCheck(
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
  return supportingChannel(deps, input, step, customer, checked, now, timezone, first, [why], {
    firstSentAt,
    inSlot: deferred,
    busy: visit.busy,
  });
}
