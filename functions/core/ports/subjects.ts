/** The subjects journeys are about, and the open invoices the scheduled batch finds by their due date. */
/** The business object a journey is about (an invoice) and whether its goal is reached. */
export type { SubjectState } from '../subject-state.ts';

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
