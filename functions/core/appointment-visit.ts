/**
 * The appointment's message steps: each visit of a step works on the visit as last told (the subject
 * item, which `appointment.rescheduled` rewrites), so a moved appointment moves its reminder and
 * survey, renders the new start, and gets one reminder per visit. Pure: the handler reads the item.
 */
import { appointmentTimesOf } from './appointment-times.ts';
import type { CustomerProfile } from './customer.ts';
import type { HolidayCalendarLookup } from './holidays.ts';
import type { JourneyStep, JourneySubject } from './journey-step.ts';
import type { MessageStepConfig, VisitMoment } from './journey-step-run.ts';
import type { Policy, Segment } from './policy.ts';
import { pickSlot } from './slot.ts';
import type { SubjectState } from './subject-state.ts';

/**
 * Returns the visit's start as last told (the subject item's), else as the run started; undefined when
 * the subject is no visit (it has no `startsAt`: only an appointment's steps are about a visit).
 */
export function visitStartAsLastTold(
  subject: JourneySubject,
  stored: SubjectState | undefined,
): string | undefined {
  if (typeof stored?.startsAt === 'string') return stored.startsAt;
  return typeof subject.startsAt === 'string' ? subject.startsAt : undefined;
}

/**
 * Returns a step's constraints for a moment of the visit starting at `startsAt`: the reminder from
 * the day before until shortly before the start, one per visit (the start is its occurrence); the
 * follow-up from a few hours after the start.
 */
export function visitConstraintsOf(
  moment: VisitMoment,
  startsAt: string,
): Pick<JourneyStep, 'notBefore' | 'notAfter' | 'occurrence'> {
  const times = appointmentTimesOf(startsAt);
  return moment === 'reminder'
    ? { notBefore: times.reminderOn, notAfter: times.remindBy, occurrence: startsAt }
    : { notBefore: times.followUpAt };
}

export interface VisitContext {
  customer: CustomerProfile;
  segment: Segment;
  policy: Policy;
  now: Date;
  /** The public holidays of the customer's country (`country-tables.ts`): no slot on one. */
  holidayCalendarFor: HolidayCalendarLookup;
}

/**
 * Returns the first open slot of the moment in the customer's window (the wake time of the step
 * about it, so that step sends at once), or null when none opens before the moment's deadline.
 */
export function visitSlotAt(moment: VisitMoment, startsAt: string, context: VisitContext): Date | null {
  const slot = pickSlot({
    customer: context.customer,
    segment: context.segment,
    policy: context.policy,
    now: context.now,
    holidayCalendarFor: context.holidayCalendarFor,
    step: {
      journeyId: 'appointment',
      stepId: moment,
      templateId: 'appointment',
      purpose: 'service',
      channels: ['email'],
      ...visitConstraintsOf(moment, startsAt),
    },
  });
  return slot.sendAt ? new Date(slot.sendAt) : null;
}

/**
 * Returns the step as this visit runs it: the constraints of its own moment filled in, and a
 * `next: { visit }` resolved to the instant of that moment's first slot (now, when none is left).
 */
export function visitStepOf(
  step: MessageStepConfig,
  startsAt: string,
  context: VisitContext,
): MessageStepConfig {
  const own = step.visit ? { ...step, ...visitConstraintsOf(step.visit, startsAt) } : step;
  if (!step.next || !('visit' in step.next)) return own;
  const at = visitSlotAt(step.next.visit, startsAt, context) ?? context.now;
  return { ...own, next: { at: at.toISOString() } };
}

/** Returns whether the visit is still ahead (moved later than this follow-up's wake): remind first. */
export function visitStillAhead(startsAt: string, now: Date): boolean {
  return Date.parse(appointmentTimesOf(startsAt).followUpAt) > now.getTime();
}
