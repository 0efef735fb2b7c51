/**
 * Checks a form's body with the API's own zod schema before sending, with the API's English issue
 * messages, so a form refuses what the server refuses, naming the same field.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { FieldIssue } from '../api/api-client.ts';

z.config(en());

export function issuesOfSchema(schema: z.ZodMiniType, value: unknown): FieldIssue[] {
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key].join('.'),
        message: `Unrecognized key: "${key}"`,
      }));
    }
    return [{ path: path.length > 0 ? path.join('.') : '(body)', message: issue.message }];
  });
}
