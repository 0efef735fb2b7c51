/**
 * The small interfaces between the pure core and the outside world, one file per aggregate in
 * `ports/`. Adapters in `functions/adapters/` implement them against AWS (and so against the local
 * emulators); tests implement them in memory. Core modules import the port file they need, never
 * this index, so no port file depends back on a module that uses it.
 */

export type { HandOverPublisher } from './hand-over.ts';
export type * from './ports/clock.ts';
export type * from './ports/customers.ts';
export type * from './ports/executions.ts';
export type * from './ports/holds.ts';
export type * from './ports/messaging.ts';
export type * from './ports/personal-data.ts';
export type * from './ports/results.ts';
export type * from './ports/runs.ts';
export type * from './ports/sends.ts';
export type * from './ports/suppressions.ts';
export type * from './ports/timeline.ts';

/** The business object a journey is about (an invoice) and whether its goal is reached. */
export type { SubjectState } from './subject-state.ts';

/** An open invoice as the scheduled batch finds it: through the due-date index, no personal data. */
export interface DueSubjectRef {
  customerId: string;
  subjectId: string;
  dueDate: string;
}

export interface DueSubjectQuery {
  /**
   * Open invoices due on a day from `fromDate` to `toDate` (ISO dates, inclusive), oldest due first,
   * at most `limit` per call; pass the returned `next` to continue.
   */
  listDueSubjects(
    fromDate: string,
    toDate: string,
    page: { limit: number; next?: string },
  ): Promise<{ items: DueSubjectRef[]; next?: string }>;
}
