import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { type ApiDoc, CustomerIdParams, CustomerResponseSchema } from '#application/api-doc.ts';
import { HttpError, type HttpResult, json, parseBody, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import { assertMomentsWithin, consentMomentRules, yearsBefore } from '#application/moment-window.ts';
import { CustomerProfileSchema } from '#core/customer.ts';
import type { Clock, CustomerRepository } from '#core/ports.ts';

/** The profile contract; `id` may be left out (the path names the customer) but must match when given. */
export const PutCustomerBody = z.partial(CustomerProfileSchema, { id: true });

export const apiDoc: ApiDoc = {
  summary: 'Create or replace a customer profile',
  description:
    'Consents and preferences have their own endpoints: when the body leaves them out, the stored ones are kept, ' +
    'so an import of profiles never undoes an opt-out.',
  params: CustomerIdParams,
  body: PutCustomerBody,
  responses: {
    200: { description: 'Replaced', schema: CustomerResponseSchema },
    201: { description: 'Created', schema: CustomerResponseSchema },
  },
};

export interface PutCustomerDeps {
  customers: Pick<CustomerRepository, 'updateCustomer'>;
  clock: Clock;
}

export function makeHandler(deps: PutCustomerDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          const body = parseBody(event, PutCustomerBody);
          if (body.id !== undefined && body.id !== customerId) {
            throw new HttpError(400, 'invalid request', [
              { path: 'id', message: 'must equal the customer id in the path' },
            ]);
          }
          const now = deps.clock.now();
          assertMomentsWithin([
            { path: 'birthDate', value: body.birthDate, notBefore: yearsBefore(now, 150), notAfter: now },
            ...consentMomentRules(body.consents, 'consents.', now),
          ]);
          // Guarded: consents or preferences recorded meanwhile (an SMS STOP) are kept, not overwritten.
          const { profile, created } = await deps.customers.updateCustomer(
            customerId,
            (existing) => ({
              ...body,
              id: customerId,
              ...(body.consents === undefined && existing?.consents ? { consents: existing.consents } : {}),
              ...(body.preferences === undefined && existing?.preferences
                ? { preferences: existing.preferences }
                : {}),
            }),
            now,
          );
          logger.info(created ? 'customer created' : 'customer replaced');
          metrics.addMetric(created ? 'CustomersCreated' : 'CustomersReplaced', 'Count', 1);
          return json(created ? 201 : 200, profile, created ? { location: `/customers/${customerId}` } : {});
        },
        (error) => logger.error('put-customer failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({ customers: repository, clock: systemClock });
});
