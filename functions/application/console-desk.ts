/**
 * What the hand-over desk's handlers share: the query parser and the customer every action needs to
 * exist (a 404 in plain words for one that never did or was erased).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { CustomerProfile } from '#core/customer.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { HttpError, issuesOf } from './http.ts';

/** Parses the query string; a 400 names each failing parameter (never echoing its value). */
export function parseQuery<T extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: T): z.infer<T> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid query parameters', issuesOf(parsed.error));
  return parsed.data;
}

export const CUSTOMER_NOT_FOUND =
  'customer not found: there is no customer with this id, or they were erased';

/** Returns the customer, or a 404 that says the customer does not exist (never created, or erased). */
export async function existingCustomer(
  customers: Pick<CustomerRepository, 'getCustomer'>,
  customerId: string,
): Promise<CustomerProfile> {
  const customer = await customers.getCustomer(customerId);
  if (!customer) throw new HttpError(404, CUSTOMER_NOT_FOUND);
  return customer;
}
