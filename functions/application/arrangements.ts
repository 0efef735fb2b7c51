import { createHash } from 'node:crypto';
/**
 * Payment arrangements through the events API: `arrangement.agreed` checks the schedule against the
 * invoice, keeps it on the invoice's item, pauses the invoice's reminders until the first instalment's
 * grace ends and starts the first instalment's run; `instalment.paid` marks it paid and moves the pause
 * on to the next instalment (starting its run), or, the last one paid, pays the invoice. An instalment
 * unpaid beyond grace lets the pause run out: the reminders go on where they stopped.
 */
import {
  type Arrangement,
  ArrangementSchema,
  type ArrangementTerms,
  arrangementOf,
  holdingReason,
  instalmentIdOf,
  instalmentOfId,
  lastDayOfGrace,
  standingOf,
  termsProblems,
  withInstalmentPaid,
} from '#core/arrangement.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { CustomerRepository, SubjectState, TimelineRepository } from '#core/ports.ts';
import type { InstalmentSubject } from '#subjects/instalment.ts';
import { type InvoiceSubject, storedInvoiceOf } from '#subjects/invoice.ts';
import { HttpError } from './http.ts';
import { pauseRemindersUntil, type ReminderHoldDeps } from './reminder-holds.ts';
import { type StartRunDeps, startRunAbout } from './start-run.ts';

/** The journey of an arrangement's instalments: a reminder before each, a nudge when one is missed. */
export const PAYMENT_ARRANGEMENT = 'payment-arrangement';

/** Who puts an arrangement's hold, as the hold and the console show it. */
const BY = 'arrangement.agreed';

export interface ArrangementDeps extends Omit<ReminderHoldDeps, 'runs'>, Omit<StartRunDeps, 'runs'> {
  runs: ReminderHoldDeps['runs'] & StartRunDeps['runs'];
  customers: Pick<CustomerRepository, 'getSubject' | 'putSubject' | 'listEvents'>;
  timeline: Pick<TimelineRepository, 'appendTimeline'>;
}

/** An agreed arrangement, checked before anything is recorded. */
export interface CheckedArrangement {
  invoice: InvoiceSubject;
  item: SubjectState;
  arrangement: Arrangement;
}

/**
 * Checks an arrangement for the invoice `subjectId` before anything is recorded: the invoice must be
 * known (404) and open (409), and the terms must hold (422 naming the field).
 */
export async function checkArrangement(
  customers: Pick<CustomerRepository, 'getSubject'>,
  customerId: string,
  subjectId: string,
  terms: ArrangementTerms,
  now: Date,
): Promise<CheckedArrangement> {
  const item = await customers.getSubject(customerId, subjectId);
  // A paid invoice's item keeps only its status.
  if (item && item.status !== 'open')
    throw new HttpError(409, `invoice ${subjectId} is ${item.status} already`);
  const invoice = storedInvoiceOf(item);
  if (!item || !invoice) {
    throw new HttpError(
      404,
      `invoice not found: ${subjectId} (record invoice.created with its amount first)`,
    );
  }
  const agreed = ArrangementSchema.safeParse(item.arrangement);
  if (agreed.success && standingOf(agreed.data, now).kind === 'holding') {
    throw new HttpError(
      409,
      `invoice ${subjectId} has a payment arrangement in force already (${agreed.data.arrangementId})`,
    );
  }
  const problems = termsProblems(terms, invoice, now.toISOString().slice(0, 10));
  if (problems.length > 0) {
    throw new HttpError(422, 'the arrangement does not fit the invoice', problems);
  }
  return { invoice, item, arrangement: arrangementOf(terms, invoice, now) };
}

/** The instalment as its run carries it. */
function instalmentSubjectOf(
  arrangement: Arrangement,
  invoice: InvoiceSubject,
  index: number,
): InstalmentSubject {
  const instalment = arrangement.instalments[index] as Arrangement['instalments'][number];
  return {
    type: 'instalment',
    id: instalmentIdOf(arrangement.arrangementId, index),
    invoiceId: invoice.id,
    arrangementId: arrangement.arrangementId,
    number: index + 1,
    of: arrangement.instalments.length,
    amount: instalment.amount,
    currency: arrangement.currency,
    dueDate: instalment.dueDate,
    lastDayOfGrace: lastDayOfGrace(instalment.dueDate, arrangement.graceDays),
    payUrl: invoice.payUrl,
  };
}

/**
 * The instalment's run: one per instalment, its id derived from the customer and the instalment (run ids
 * are unique across customers), so a repeated event starts nothing.
 */
async function startInstalmentRun(
  deps: ArrangementDeps,
  customer: CustomerProfile,
  subject: InstalmentSubject,
): Promise<void> {
  const runId = `instalment-${createHash('sha256').update(`${customer.id}|${subject.id}`).digest('hex').slice(0, 32)}`;
  await startRunAbout(deps, PAYMENT_ARRANGEMENT, customer, subject, runId);
}

/** Holds the invoice's reminders until the open instalment's grace ends; returns how many runs it holds. */
async function holdRemindersFor(
  deps: ArrangementDeps,
  customerId: string,
  arrangement: Arrangement,
  index: number,
  breaksAt: Date,
  now: Date,
): Promise<number> {
  const held = await pauseRemindersUntil(
    deps,
    customerId,
    arrangement.invoiceId,
    breaksAt,
    {
      kind: 'arrangement',
      by: BY,
      arrangementId: arrangement.arrangementId,
      reason: holdingReason(arrangement, index),
    },
    now,
  );
  return held.length;
}

/**
 * Keeps the checked arrangement on the invoice's item and each instalment as its own subject, pauses
 * the invoice's reminders until the first instalment's grace ends and starts the first instalment's run.
 */
export async function agreeArrangement(
  deps: ArrangementDeps,
  customer: CustomerProfile,
  checked: CheckedArrangement,
  now: Date,
): Promise<{ heldRuns: number }> {
  const { arrangement, invoice, item } = checked;
  const updatedAt = now.toISOString();
  await deps.customers.putSubject({ ...item, updatedAt, arrangement });
  for (const [index] of arrangement.instalments.entries()) {
    const subject = instalmentSubjectOf(arrangement, invoice, index);
    await deps.customers.putSubject({
      customerId: customer.id,
      subjectId: subject.id,
      status: 'open',
      updatedAt,
      instalment: subject,
    });
  }
  const standing = standingOf(arrangement, now);
  const heldRuns =
    standing.kind === 'holding'
      ? await holdRemindersFor(deps, customer.id, arrangement, standing.index, standing.breaksAt, now)
      : 0;
  await deps.timeline.appendTimeline({
    customerId: customer.id,
    at: updatedAt,
    kind: 'journey',
    summary: `payment arrangement ${arrangement.arrangementId} agreed for ${invoice.id}: ${arrangement.instalments.length} instalments`,
    reasons: [
      standing.kind === 'holding'
        ? `the payment reminders wait (${heldRuns} run${heldRuns === 1 ? '' : 's'}): ${holdingReason(arrangement, standing.index)}`
        : 'no instalment open',
    ],
  });
  await startInstalmentRun(deps, customer, instalmentSubjectOf(arrangement, invoice, 0));
  return { heldRuns };
}

/** What an instalment payment did: the invoice it paid in full, if it was the last one. */
export interface InstalmentPaid {
  paidInvoiceId?: string;
}

/**
 * Marks the instalment (`<arrangementId>.<number>`, its item read before the event overwrote it) paid on
 * the invoice's arrangement. The next open instalment: the reminders wait for its grace and its run
 * starts. None open: the invoice is paid (its status), and the caller ends the runs about it.
 */
export async function instalmentPaid(
  deps: ArrangementDeps,
  customer: CustomerProfile,
  instalmentItem: SubjectState | undefined,
  instalmentId: string,
  now: Date,
): Promise<InstalmentPaid> {
  const named = instalmentOfId(instalmentId);
  const stored = instalmentItem?.instalment as InstalmentSubject | undefined;
  // Paid before (the item holds only its status), or no instalment of an arrangement: nothing to move on.
  if (!named || !stored) return {};
  const invoiceItem = await deps.customers.getSubject(customer.id, stored.invoiceId);
  const invoice = storedInvoiceOf(invoiceItem);
  const agreed = ArrangementSchema.safeParse(invoiceItem?.arrangement);
  if (!invoiceItem || !invoice || !agreed.success || agreed.data.arrangementId !== named.arrangementId) {
    return {};
  }
  const arrangement = withInstalmentPaid(agreed.data, named.index, now);
  const standing = standingOf(arrangement, now);
  const updatedAt = now.toISOString();
  if (standing.kind === 'completed') {
    await deps.customers.putSubject({ ...invoiceItem, status: 'paid', updatedAt, arrangement });
    await deps.timeline.appendTimeline({
      customerId: customer.id,
      at: updatedAt,
      kind: 'journey',
      summary: `payment arrangement ${arrangement.arrangementId} completed: ${invoice.id} paid`,
      reasons: [`all ${arrangement.instalments.length} instalments paid`],
    });
    return { paidInvoiceId: invoice.id };
  }
  await deps.customers.putSubject({ ...invoiceItem, updatedAt, arrangement });
  if (standing.kind === 'holding') {
    await holdRemindersFor(deps, customer.id, arrangement, standing.index, standing.breaksAt, now);
    await startInstalmentRun(deps, customer, instalmentSubjectOf(arrangement, invoice, standing.index));
  }
  return {};
}
