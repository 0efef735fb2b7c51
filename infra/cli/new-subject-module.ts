/**
 * The starting point `klantreis new subject <type>` writes to `functions/subjects/<type>.ts`: a complete,
 * valid subject module after the contract in `functions/subjects/subject-type.ts`, with one example date
 * and one example link to rename, and comments saying what each piece is for.
 */

/** Returns the source of a new subject module for `type` whose goal status (and goal event) is `goal`. */
export function subjectModuleSource(type: string, goal: string): string {
  const Type = type.charAt(0).toUpperCase() + type.slice(1);
  return `/**
 * A ${type}: what a journey about it is for, in one line (replace this).
 * Declared once here; everything that knows about subjects reads it through the registry
 * (\`./registry.ts\`). The contract it follows, piece by piece: \`./subject-type.ts\`.
 */
import * as z from 'zod/mini';
import { defineSubject } from './subject-type.ts';

/** The ${type} a journey is started with (\`subject\` of \`POST /journeys/{id}/runs\`). Unknown fields are refused. */
const ${Type}Schema = z.strictObject({
  type: z.literal('${type}'),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  /** An example date a wait can count from (\`{ "daysBefore": 30, "of": "validUntil" }\`): an ISO date. Rename it. */
  validUntil: z.iso.date(),
  /** An example link a message carries as \`{{ links.details }}\`: absolute https. Rename it. */
  detailsUrl: z.url({ protocol: /^https$/ }),
});
export type ${Type}Subject = z.infer<typeof ${Type}Schema>;

export default defineSubject<${Type}Subject>({
  type: '${type}',
  schema: ${Type}Schema,
  // A new ${type} starts in the first status.
  statuses: ['open', '${goal}'],
  // A journey about a ${type} has reached its goal when the ${type} is ${goal}: its run ends.
  goalStatuses: ['${goal}'],
  // Business events (\`POST /customers/{id}/events\` with \`subjectId\`).
  events: {
    // An event may describe the ${type} with \`data\` (a schema) and keep it on the subject item: see invoice.ts.
    '${type}.created': {
      status: 'open',
      description: 'A ${type} was created: it stands open.',
    },
    '${type}.${goal}': {
      status: '${goal}',
      exit: true,
      description: 'The ${type} is ${goal}: every running journey about it ends at once.',
    },
  },
  // The dates a journey's waits may count from.
  dates: ['validUntil'],
  // The links a message may carry, as \`{{ links.<name> }}\`.
  links: (${type}) => ({ details: ${type}.detailsUrl }),
  // What templates see as \`{{ ${type}.… }}\`: only what the texts need.
  templateData: (${type}) => ({ id: ${type}.id, validUntil: ${type}.validUntil }),
  // A realistic ${type} for previews and template checks.
  sample: ({ id, now }) => ({
    type: '${type}',
    id: \`${type.toUpperCase().slice(0, 3)}-\${id}\`,
    validUntil: new Date(now.getTime() + 60 * 86_400_000).toISOString().slice(0, 10),
    detailsUrl: \`https://portal.example.com/${type}s/\${id}\`,
  }),
});
`;
}
