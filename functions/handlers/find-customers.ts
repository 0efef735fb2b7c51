import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { normaliseAddress } from '#adapters/dynamo/table-keys.ts';
import { logger, metrics } from '#adapters/powertools.ts';
import { createDeskRepository, createRepository } from '#adapters/repository-wiring.ts';
import { FindCustomersQuery, FindCustomersResponse } from '#application/api/console-agent.ts';
import type { ApiDoc } from '#application/api-doc.ts';
import { requireRole } from '#application/caller.ts';
import { parseQuery } from '#application/console-desk.ts';
import { type HttpResult, json, respond } from '#application/http.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { CustomerLookup, CustomerRepository, EmailLookup } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'Find customers by their exact email address or phone number',
  description:
    'Looks the address up in an index of its hash (never a scan) and answers the matching customers with a short ' +
    'summary; an address may be shared. The address is personal data: it is neither logged nor kept.',
  query: FindCustomersQuery,
  responses: {
    200: { description: 'The matching customers (none: an empty list)', schema: FindCustomersResponse },
  },
};

export interface FindCustomersDeps {
  lookup: CustomerLookup & EmailLookup;
  customers: Pick<CustomerRepository, 'getCustomer'>;
}

export function makeHandler(deps: FindCustomersDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const query = parseQuery(event, FindCustomersQuery);
          const ids = query.email
            ? await deps.lookup.customerIdsByEmail(query.email)
            : await deps.lookup.customerIdsByPhone(query.phone as string);
          const profiles = await Promise.all([...new Set(ids)].map((id) => deps.customers.getCustomer(id)));
          // The index follows the profile a moment later: only a profile that holds the address now answers.
          const matching = profiles.filter((profile) =>
            query.email
              ? profile?.email !== undefined &&
                normaliseAddress('email', profile.email) === normaliseAddress('email', query.email)
              : profile?.phone !== undefined &&
                normaliseAddress('sms', profile.phone) === normaliseAddress('sms', query.phone as string),
          );
          metrics.addMetric('CustomerLookups', 'Count', 1);
          logger.info('customers looked up', { by: query.email ? 'email' : 'phone', found: matching.length });
          return json(
            200,
            {
              customers: matching.flatMap((profile) =>
                profile
                  ? [
                      {
                        customerId: profile.id,
                        ...(profile.name ? { name: profile.name } : {}),
                        locale: profile.locale,
                        country: profile.country,
                      },
                    ]
                  : [],
              ),
            },
            { 'cache-control': 'no-store' },
          );
        },
        (error) => logger.error('find-customers failed', { error }),
      ),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  const desk = createDeskRepository();
  return makeHandler({
    lookup: {
      customerIdsByPhone: (phone) => repository.customerIdsByPhone(phone),
      customerIdsByEmail: (email) => desk.customerIdsByEmail(email),
    },
    customers: repository,
  });
});
