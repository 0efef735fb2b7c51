/**
 * A moved appointment: a follow-up step whose visit moved later before its reminder reminded of the
 * new start sends the journey back to the reminder step (`Klantreis.VisitMoved`).
 */

import { sendKey } from '#application/send-step.ts';
import { type VisitContext, visitSlotAt, visitStillAhead } from '#core/appointment-visit.ts';
import { VisitMoved } from '#core/journey-control.ts';
import { isHandOverStep, type RunJourneyStepInput } from '#core/journey-step-run.ts';
import type { RunJourneyStepDeps } from './deps.ts';

/**
 * A follow-up whose visit (starting at `startsAt`, as last told) moved later and whose reminder step has not reminded of the new start
 * yet: recorded, then `Klantreis.VisitMoved` sends the journey back to the reminder step at its slot.
 */
export async function throwIfVisitMoved(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  startsAt: string,
  context: VisitContext,
): Promise<void> {
  const { step } = input;
  if (isHandOverStep(step) || !step.remindOfMovedVisit) return;
  if (!visitStillAhead(startsAt, context.now)) return;
  const key = sendKey(input.runId, step.remindOfMovedVisit, startsAt);
  if (await deps.sendRecords.getSend(input.customerId, key)) return;
  const at = visitSlotAt('reminder', startsAt, context);
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
