import { type ApiClient, ApiError, segment } from './api-client.ts';

/** What the search box holds: an id, an exact email address or a phone number. */
export type CustomerQuery =
  | { by: 'id'; id: string }
  | { by: 'email'; email: string }
  | { by: 'phone'; phone: string };

export function customerQueryOf(text: string): CustomerQuery | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (value.includes('@')) return { by: 'email', email: value };
  // Phone numbers as people type them: `+31 6 1234 5678`, `+31-612345678`.
  const compact = value.replace(/[\s().-]/g, '');
  if (/^\+\d{7,15}$/.test(compact)) return { by: 'phone', phone: compact };
  return { by: 'id', id: value };
}

/** The ids of the customers with this exact email address or phone number (an index lookup on the server). */
export async function findCustomerIds(api: ApiClient, query: CustomerQuery): Promise<string[]> {
  if (query.by === 'id') return [query.id];
  const parameter = query.by === 'email' ? `email=${segment(query.email)}` : `phone=${segment(query.phone)}`;
  try {
    const found = await api.get<{ customers?: { customerId?: string; id?: string }[] }>(
      `/customers?${parameter}`,
    );
    return (found.customers ?? []).flatMap((c) => {
      const id = c.customerId ?? c.id;
      return id ? [id] : [];
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}

export const customerPath = (customerId: string): string => `/customers/${segment(customerId)}`;
