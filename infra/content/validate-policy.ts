/**
 * Validation of the communication policy file (`templates/policy.json`): every problem names the file,
 * the segment when it is in one, and the field — `templates/policy.json: segment senior: windows: required`.
 */
import { type Policy, PolicySchema } from '#core/policy.ts';
import { type ContentIssue, schemaIssues } from './content-issue.ts';

export const POLICY_FILE = 'templates/policy.json';

/** Returns every problem of a policy as written (parsed JSON); empty when the policy may be used. */
export function validatePolicy(json: unknown, file: string = POLICY_FILE): ContentIssue[] {
  const segments = (json as { segments?: unknown } | null)?.segments;
  const segmentName = (index: number) => {
    const id = Array.isArray(segments) ? (segments[index] as { id?: unknown } | null)?.id : undefined;
    return typeof id === 'string' && id !== '' ? id : `#${index + 1}`;
  };
  return schemaIssues(
    PolicySchema,
    json,
    { file, where: '' },
    {
      placeOf: ([first, index, ...rest]) =>
        first === 'segments' && typeof index === 'number'
          ? { where: `segment ${segmentName(index)}`, path: rest }
          : undefined,
    },
  );
}

/** Returns the policy when it is valid, else its problems. */
export function parsePolicy(
  json: unknown,
  file: string = POLICY_FILE,
): { policy: Policy; issues: [] } | { policy?: undefined; issues: ContentIssue[] } {
  const parsed = PolicySchema.safeParse(json);
  return parsed.success ? { policy: parsed.data, issues: [] } : { issues: validatePolicy(json, file) };
}
