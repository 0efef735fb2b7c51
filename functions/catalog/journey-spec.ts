import type { SubjectDayOffset } from '#core/subject-dates.ts';
import type { SubjectType } from '#subjects/registry.ts';

/** What the catalog knows of a journey (or a scheduled batch): read by Lambda code and the CDK stack. */
export interface JourneySpec {
  id: string;
  /** Path from the repository root. */
  definitionFile: string;
  /**
   * The subject type it is about (`subject.type` when started; one of `functions/subjects`); another type
   * is refused with a 400.
   */
  subject?: SubjectType;
  /**
   * The journey starts with a Wait on the first wake the starter plans (`$.journey.progress.wakeAt`), so
   * the starter plans it in the customer's window (`firstWakeNow`: one Query of their behaviour). Absent:
   * the journey starts with its Task (the appointment's transactional confirmation goes at once), and the
   * starter plans nothing. `test/infra/catalog-first-wake.test.ts` checks it against the ASL files.
   */
  plansFirstWake?: true;
  /**
   * The run's first message is about a date of its subject (`{ "daysBefore": 30, "of": "endDate" }`: a
   * renewal notice): the starter plans the first wake in the customer's window on that day (a day already
   * passed: the next slot from now). Needs `plansFirstWake`. Absent: the first wake is the next slot from now.
   */
  firstWake?: SubjectDayOffset;
}
