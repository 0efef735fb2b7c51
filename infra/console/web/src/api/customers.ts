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
    const found = await api.get<Record<string, unknown>>(`/customers?${parameter}`);
    // The ids, or summaries carrying them, under whichever name the answer lists them.
    const list = [found.customers, found.items, found.customerIds].find(Array.isArray) ?? [];
    return (list as unknown[]).flatMap((entry) => {
      if (typeof entry === 'string') return [entry];
      const summary = entry as { customerId?: unknown; id?: unknown };
      const id = summary.customerId ?? summary.id;
      return typeof id === 'string' ? [id] : [];
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}

export const customerPath = (customerId: string): string => `/customers/${segment(customerId)}`;
