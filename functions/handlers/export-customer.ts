import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import {
  type ApiDoc,
  CustomerIdParams,
  JourneyRunSchema,
  SendRecordSchema,
  TimelineEntrySchema,
} from '#application/api-doc.ts';
import { type HttpResult, json, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { storedDataOf } from '#application/personal-data.ts';
import { BehaviourEventSchema } from '#core/behaviour.ts';
import { CustomerProfileSchema } from '#core/customer.ts';
import { HandOverRecordSchema } from '#core/hand-over-desk.ts';
import { HoldSchema } from '#core/hold.ts';
import type { PersonalDataRepository } from '#core/ports.ts';
import { ShortLinkSchema } from '#core/short-link-schema.ts';
import { subjects as subjectTypes } from '#subjects/registry.ts';

export const CustomerExportSchema = z.object({
  customerId: z.string(),
  profile: z.optional(CustomerProfileSchema),
  events: z.array(z.extend(BehaviourEventSchema, { eventId: z.string() })),
  timeline: z.array(TimelineEntrySchema),
  subjects: z.array(subjectTypes.stateSchema),
  runs: z.array(JourneyRunSchema),
  sends: z.array(SendRecordSchema),
  holds: z.array(HoldSchema),
  handOvers: z.array(HandOverRecordSchema),
  shortLinks: z.array(ShortLinkSchema),
});

export const apiDoc: ApiDoc = {
  summary: 'GDPR access: every item Klantreis keeps about the customer',
  description:
    'Profile, consents and preferences, behaviour events, the whole conversation (message bodies while retained), ' +
    'invoices, journey runs and send records. Suppressions hold only a hash of an address and are not personal data of this customer.',
  params: CustomerIdParams,
  responses: {
    200: { description: 'The export', schema: CustomerExportSchema },
    404: { description: 'Nothing is stored about this customer' },
  },
};

export interface ExportCustomerDeps {
  personalData: Pick<PersonalDataRepository, 'exportCustomerData'>;
}

export function makeHandler(deps: ExportCustomerDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { data } = await storedDataOf(deps.personalData, event);
          logger.info('customer data exported');
          metrics.addMetric('CustomerExports', 'Count', 1);
          // Personal data: no shared or browser cache may keep a copy.
          return json(200, data, { 'cache-control': 'no-store' });
        },
        (error) => logger.error('export-customer failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => makeHandler({ personalData: createRepository() }));
