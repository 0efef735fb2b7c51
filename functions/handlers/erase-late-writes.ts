/**
 * The second pass of a GDPR erasure, started by the one-time schedule the erasure created (at
 * `secondPassAt`): a step that was in flight when its run was stopped may have written into the
 * customer's partition after the deletion (a decision, a send claim), and a run may have started
 * meanwhile. This stops any run still going, deletes what is in the partition now, and records on
 * the erasure record that it ran and what it removed. Repeating it (a scheduler retry) is harmless.
 */
import type { Context } from 'aws-lambda';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { CustomerIdParams } from '#application/api-doc.ts';
import { stopRunningRuns } from '#application/erasure.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type {
  Clock,
  ErasureRepository,
  JourneyExecutions,
  PersonalDataRepository,
  RunLookup,
} from '#core/ports.ts';

/** The schedule's input (`ErasurePassInput`). */
export const ErasurePassEvent = CustomerIdParams;

export interface ErasePassResult {
  removedItems: number;
  stoppedRuns: number;
  /** False when the erasure record is gone (expired): the pass still ran. */
  recorded: boolean;
}

export interface EraseLateWritesDeps {
  personalData: Pick<PersonalDataRepository, 'eraseCustomerData'>;
  runs: RunLookup;
  erasures: Pick<ErasureRepository, 'recordSecondPass'>;
  executions: JourneyExecutions;
  clock: Clock;
}

export function makeHandler(deps: EraseLateWritesDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<ErasePassResult> => {
    const parsed = ErasurePassEvent.safeParse(event);
    // Names the failing fields only: the event holds a customer id.
    if (!parsed.success) throw new Error('erasure pass: invalid event (customerId)');
    const { customerId } = parsed.data;
    const stoppedRuns = await stopRunningRuns(deps.executions, await deps.runs.listRuns(customerId));
    const { deletedItems } = await deps.personalData.eraseCustomerData(customerId);
    const recorded = await deps.erasures.recordSecondPass(customerId, {
      ranAt: deps.clock.now(),
      removedItems: deletedItems,
      stoppedRuns,
    });
    logger.info('erasure second pass', { removedItems: deletedItems, stoppedRuns, recorded });
    metrics.addMetric('ErasureLateItemsRemoved', 'Count', deletedItems);
    if (!recorded) logger.warn('erasure second pass: no erasure record left to record it on');
    return { removedItems: deletedItems, stoppedRuns, recorded };
  });
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository({ pseudonymKey: pseudonymKeyFromEnv() });
  return makeHandler({
    personalData: repository,
    runs: repository,
    erasures: repository,
    executions: new SfnJourneyExecutions(sfnClient()),
    clock: systemClock,
  });
});
