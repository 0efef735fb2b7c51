import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { createRepository } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyExecutions } from '#adapters/sfn-journey-executions.ts';
import { systemClock } from '#adapters/system-clock.ts';
import type { Channel } from '#core/customer.ts';
import type { Clock, JourneyExecutions, PersonalDataRepository, SuppressionRepository } from '#core/ports.ts';
import { type ApiDoc, CustomerIdParams } from '#shared/api-doc.ts';
import { type HttpResult, json, respond } from '#shared/http.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { storedDataOf } from '#shared/personal-data.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const EraseResponse = z.object({
  customerId: z.string(),
  deletedItems: z.number().check(z.int()),
  stoppedRuns: z.number().check(z.int()),
  suppressedAddresses: z.number().check(z.int()),
});

export const apiDoc: ApiDoc = {
  summary: 'GDPR erasure: stop the customer’s running journeys and delete every item kept about them',
  description:
    'Running journeys are stopped first, so none writes after the erasure; then the customer’s addresses are ' +
    'added to the suppression list as hashes only (so an erased address is not contacted again by accident), ' +
    'and every item of the customer is deleted. Repeating the call removes anything a step still in flight wrote.',
  params: CustomerIdParams,
  responses: {
    200: { description: 'Erased', schema: EraseResponse },
    404: { description: 'Nothing is stored about this customer' },
  },
};

/** The reason stored with the suppression: no personal data, just why. */
export const ERASED_REASON = 'customer erased (GDPR)';

export interface EraseCustomerDeps {
  personalData: PersonalDataRepository;
  suppressions: Pick<SuppressionRepository, 'suppress'>;
  executions: JourneyExecutions;
  clock: Clock;
}

export function makeHandler(deps: EraseCustomerDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { customerId, data } = await storedDataOf(deps.personalData, event);

          // Stop first: a journey still running would write new items after the erasure.
          let stoppedRuns = 0;
          for (const run of data.runs) {
            const view = await deps.executions.describe(run.executionArn);
            if (view?.status !== 'RUNNING') continue;
            await deps.executions.stop(run.executionArn, ERASED_REASON);
            stoppedRuns += 1;
          }

          const now = deps.clock.now();
          const addresses: Array<[Channel, string | undefined]> = [
            ['email', data.profile?.email],
            ['sms', data.profile?.phone],
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
          return json(200, { customerId, deletedItems, stoppedRuns, suppressedAddresses });
        },
        (error) => logger.error('erase-customer failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    personalData: repository,
    suppressions: repository,
    executions: new SfnJourneyExecutions(sfnClient()),
    clock: systemClock,
  });
});
