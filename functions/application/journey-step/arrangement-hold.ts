/**
 * A payment reminder started about an invoice whose payment arrangement holds already (agreed before the
 * run began): the run gets the arrangement's hold, as a run that was running when it was agreed did, so it
 * sends nothing while the arrangement holds, goes on where it stopped when an instalment is missed, and
 * waits for the next instalment when one is paid (`arrangements.ts` moves every running reminder's hold).
 */
import { PAYMENT_REMINDER } from '#application/reminder-holds.ts';
import { ArrangementSchema, holdingReason, standingOf } from '#core/arrangement.ts';
import { type Hold, type HoldNow, holdNow } from '#core/hold.ts';
import type { RunJourneyStepInput } from '#core/journey-step-run.ts';
import type { SubjectState } from '#core/ports.ts';
import type { RunJourneyStepDeps } from './deps.ts';

/** Who puts the hold, as the console shows it: the arrangement, as for a run held when it was agreed. */
const BY = 'arrangement.agreed';

/**
 * Puts the arrangement's hold on this run and returns it, when the run is a payment reminder that has sent
 * nothing yet (`beforeAnyMessage`), about an invoice whose arrangement holds now, and the run never had an
 * arrangement's hold (one that lapsed or that a person lifted decides instead). Otherwise undefined.
 */
export async function holdOfEarlierArrangement(
  deps: Pick<RunJourneyStepDeps, 'holds'>,
  input: Pick<RunJourneyStepInput, 'runId' | 'journeyId' | 'customerId'>,
  invoiceItem: SubjectState | undefined,
  holds: readonly Hold[],
  beforeAnyMessage: boolean,
  now: Date,
): Promise<HoldNow | undefined> {
  if (input.journeyId !== PAYMENT_REMINDER || !beforeAnyMessage || invoiceItem?.arrangement === undefined) {
    return undefined;
  }
  if (holds.some((hold) => hold.runId === input.runId && hold.kind === 'arrangement')) return undefined;
  const agreed = ArrangementSchema.safeParse(invoiceItem.arrangement);
  if (!agreed.success) return undefined;
  const standing = standingOf(agreed.data, now);
  if (standing.kind !== 'holding') return undefined;
  const hold: Hold = {
    kind: 'arrangement',
    until: standing.breaksAt.toISOString(),
    by: BY,
    at: now.toISOString(),
    runId: input.runId,
    arrangementId: agreed.data.arrangementId,
    reason: holdingReason(agreed.data, standing.index),
  };
  await deps.holds.putHold(input.customerId, hold);
  return holdNow([hold], input.runId, now);
}
