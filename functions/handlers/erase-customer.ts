import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { pseudonymKeyFromEnv } from '#adapters/pseudonym-key.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { schedulerClient } from '#adapters/scheduler-client.ts';
import { SchedulerErasurePass } from '#adapters/scheduler-erasure-pass.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import { ERASED_REASON, SECOND_PASS_DELAY_MS, stopRunningRuns } from '#application/erasure.ts';
import { type HttpResult, json, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { storedDataOf } from '#application/personal-data.ts';
import type { Channel } from '#core/customer.ts';
import type {
  Clock,
  ErasurePassScheduler,
  ErasureRepository,
  JourneyExecutions,
  PersonalDataRepository,
  SuppressionRepository,
} from '#core/ports.ts';
import { channelAddressOf } from '#core/reachability.ts';

export const EraseResponse = z.object({
  customerId: z.string(),
  deletedItems: z.number().check(z.int()),
  stoppedRuns: z.number().check(z.int()),
  suppressedAddresses: z.number().check(z.int()),
  /** When the second pass removes anything a step still in flight writes after this answer. */
  secondPassAt: z.string(),
});

export const apiDoc: ApiDoc = {
  summary: 'GDPR erasure: stop the customer’s running journeys and delete every item kept about them',
  description:
    'An erasure record is written first (keyed by a keyed hash of the id): from then on no journey step ' +
    'claims or sends a message to the customer. Then a second pass is scheduled, running journeys are ' +
    'stopped, the customer’s addresses are added to the suppression list as keyed hashes only (so an ' +
    'erased address is not contacted again by accident), and every item of the customer is deleted. ' +
    'The second pass runs by itself at `secondPassAt`: it stops any run still going and removes anything ' +
    'a step in flight wrote after this answer, and records on the erasure record that it ran.',
  params: CustomerIdParams,
  responses: {
    200: { description: 'Erased', schema: EraseResponse },
    404: { description: 'Nothing is stored about this customer' },
  },
};

export interface EraseCustomerDeps {
  personalData: PersonalDataRepository;
  suppressions: Pick<SuppressionRepository, 'suppress'>;
  erasures: Pick<ErasureRepository, 'markErased'>;
  secondPass: ErasurePassScheduler;
  executions: JourneyExecutions;
  clock: Clock;
}

export function makeHandler(deps: EraseCustomerDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { customerId, data } = await storedDataOf(deps.personalData, event);
          const now = deps.clock.now();
          const secondPassAt = new Date(now.getTime() + SECOND_PASS_DELAY_MS);

          // The record first: a step in flight checks it before its claim and before the provider call.
          await deps.erasures.markErased(customerId, { erasedAt: now, secondPassAt });
          // Scheduled before anything is deleted: whatever fails below, the second pass still comes.
          await deps.secondPass.scheduleSecondPass(customerId, secondPassAt);

          // Stopped before the deletion: a journey still running would write new items after it.
          const stoppedRuns = await stopRunningRuns(deps.executions, data.runs);

          const addresses: Array<[Channel, string | undefined]> = [
            ['email', data.profile?.email],
            ['sms', data.profile?.phone],
            ['letter', data.profile ? channelAddressOf(data.profile, 'letter') : undefined],
          ];
          let suppressedAddresses = 0;
          for (const [channel, address] of addresses) {
            if (!address) continue;
            await deps.suppressions.suppress(channel, address, ERASED_REASON, now);
            suppressedAddresses += 1;
          }

          const { deletedItems } = await deps.personalData.eraseCustomerData(customerId);
          logger.info('customer erased', { deletedItems, stoppedRuns, suppressedAddresses });
          metrics.addMetric('CustomersErased', 'Count', 1);
          return json(200, {
            customerId,
            deletedItems,
            stoppedRuns,
            suppressedAddresses,
            secondPassAt: secondPassAt.toISOString(),
          });
        },
        (error) => logger.error('erase-customer failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    ERASURE_SCHEDULE_GROUP: z.string().check(z.minLength(1)),
    ERASURE_PASS_FUNCTION_ARN: z.string().check(z.minLength(1)),
    ERASURE_SCHEDULER_ROLE_ARN: z.string().check(z.minLength(1)),
    ERASURE_DEAD_LETTER_QUEUE_ARN: z.string().check(z.minLength(1)),
  });
  const repository = createRepository({ pseudonymKey: pseudonymKeyFromEnv() });
  return makeHandler({
    personalData: repository,
    suppressions: repository,
    erasures: repository,
    secondPass: new SchedulerErasurePass(schedulerClient(), {
      groupName: env.ERASURE_SCHEDULE_GROUP,
      functionArn: env.ERASURE_PASS_FUNCTION_ARN,
      roleArn: env.ERASURE_SCHEDULER_ROLE_ARN,
      deadLetterQueueArn: env.ERASURE_DEAD_LETTER_QUEUE_ARN,
    }),
    executions: new SfnJourneyExecutions(sfnClient()),
    clock: systemClock,
  });
});
