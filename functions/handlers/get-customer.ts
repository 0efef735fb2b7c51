import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { type ApiDoc, CustomerIdParams, CustomerResponseSchema } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, json, parseParams, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { CustomerRepository } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Read a customer profile, with its consents and preferences',
  params: CustomerIdParams,
  responses: {
    200: { description: 'The profile', schema: CustomerResponseSchema },
    404: { description: 'No such customer' },
  },
};

export interface GetCustomerDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
}

export function makeHandler(deps: GetCustomerDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          const customer = await deps.customers.getCustomer(customerId);
          if (!customer) throw new HttpError(404, 'customer not found');
          return json(200, customer);
        },
        (error) => logger.error('get-customer failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => makeHandler({ customers: createRepository() }));
