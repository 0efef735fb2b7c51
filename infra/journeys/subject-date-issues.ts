/**
 * A journey names its subject's dates by field (`{ "daysAfter": 1, "of": "dueDate" }`); each must be one
 * of the dates its subject type's module declares (`dates`), or the wait would silently fall back to the
 * step's message. Checked where journey definitions are read (`npx klantreis generate`, the content
 * validation), with the nearest declared date when the name is a slip.
 */
import { nearestName } from '#core/did-you-mean.ts';
import { subjectDatesNamed } from '#core/subject-dates.ts';
import { subjectModules } from '#subjects/all.ts';
import type { ContentIssue } from '../content/content-issue.ts';

/** What the check reads of a subject type: its `type` and the dates its module declares. */
export interface SubjectDates {
  type: string;
  dates: readonly string[];
}

/**
 * Returns a problem for each subject date the definition names that its subject type does not declare,
 * and for a `firstWake` the starter would not plan. A subject type with no module is not checked here
 * (`generate` refuses it on its own).
 */
export function subjectDateIssues(
  json: unknown,
  file: string,
  modules: readonly SubjectDates[] = subjectModules as readonly SubjectDates[],
): ContentIssue[] {
  const { subject, firstWake, plansFirstWake } = (json ?? {}) as Record<string, unknown>;
  // Without a planned first wake the run starts with its Task at once: a first wake day would be ignored.
  const unplanned: ContentIssue[] =
    firstWake !== undefined && plansFirstWake !== true
      ? [
          {
            file,
            where: '',
            field: 'firstWake',
            message: 'needs "plansFirstWake": true, or the run starts at once',
          },
        ]
      : [];
  const declared = modules.find((m) => m.type === subject);
  if (!declared) return unplanned;
  return [
    ...unplanned,
    ...subjectDatesNamed(json)
      .filter(({ of }) => !declared.dates.includes(of))
      .map(({ path, of }) => {
        const nearest = nearestName(of, declared.dates);
        const known = declared.dates.length > 0 ? declared.dates.join(', ') : 'none';
        return {
          file,
          where: '',
          field: path,
          message:
            `"${of}" is not a date of ${declared.type} (its dates: ${known})` +
            (nearest ? ` — did you mean "${nearest}"?` : ''),
        };
      }),
  ];
}
