import * as z from 'zod/mini';

/**
 * The item a journey's subject has in the store: where it stands (`open`, `paid`, …) and the fields its
 * subject type keeps there (an invoice as `invoice.created` described it, an appointment's moments).
 * The subject registry (`functions/subjects/registry.ts`) extends these with the statuses and stored
 * fields its subject types declare: one schema for the store, the export and its document.
 */
export const SubjectStateBaseShape = {
  customerId: z.string().check(z.minLength(1)),
  subjectId: z.string().check(z.minLength(1)),
  status: z.string().check(z.minLength(1)),
  updatedAt: z.string().check(z.minLength(1)),
};

/** A stored subject as the core reads it: the fields beyond these are its subject type's. */
export interface SubjectState {
  customerId: string;
  subjectId: string;
  status: string;
  updatedAt: string;
  readonly [field: string]: unknown;
}
