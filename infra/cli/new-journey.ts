/**
 * `klantreis new journey <id> --subject <type>`: writes a journey about a subject type — its compact
 * definition `statemachines/<id>.journey.json` (two messages: a first one and a reminder), starter
 * templates for both (`templates/<id>-<step>/`) and a starter end-to-end test `test/e2e/<id>.test.ts` —
 * then regenerates, so the journey runs locally and in `npm test` at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonText } from '../journeys/json-text.ts';
import { writeNewFiles } from './new-files.ts';
import type { CliIo } from './new-io.ts';
import { type StarterSubject, starterTemplateFiles } from './new-journey-templates.ts';
import { starterTestSource } from './new-journey-test.ts';
import { journeyIdProblem, unknownName } from './new-names.ts';

export const NEW_JOURNEY_USAGE =
  'Usage: klantreis new journey <id> --subject <type>\n\n' +
  '  Writes statemachines/<id>.journey.json (a first message, then a reminder), their templates\n' +
  '  (templates/<id>-notice/, templates/<id>-reminder/: nl and en, friendly and firm, email and SMS)\n' +
  '  and test/e2e/<id>.test.ts; then runs `klantreis generate`.';

/** The starter journey's message steps: a first message and a reminder. */
const STEP_IDS = ['notice', 'reminder'] as const;

/** What the command needs to know of the subject types (the registry, `functions/subjects/registry.ts`). */
export interface SubjectTypes {
  types: readonly string[];
  /** The subject type's sample, its first link, a date its templates see, its exit event. */
  starter(type: string): StarterSubject & { sample: unknown; exitEvent?: string };
}

export function runNewJourney(
  args: readonly string[],
  io: CliIo,
  root: string,
  subjects: SubjectTypes,
): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(NEW_JOURNEY_USAGE);
    return 0;
  }
  const [id, flag, type, ...rest] = args;
  const idProblem = journeyIdProblem(id);
  if (idProblem || !id) return refuse(io, idProblem ?? NEW_JOURNEY_USAGE);
  if (flag !== '--subject' || !type || rest.length > 0) return refuse(io, NEW_JOURNEY_USAGE);
  if (!subjects.types.includes(type)) {
    return refuse(
      io,
      `${unknownName('subject type', type, subjects.types)}\nAdd one with: npx klantreis new subject ${type}`,
    );
  }
  const files = journeyFiles(id, type, subjects, policyLocalesIn(root));
  const existing =
    existingJourneyFile(root, id) ?? Object.keys(files).find((path) => existsSync(join(root, path)));
  if (existing) return refuse(io, `journey "${id}" exists already: ${existing}`);
  writeNewFiles(root, files);
  io.out(
    `wrote statemachines/${id}.journey.json, ${STEP_IDS.map((s) => `templates/${id}-${s}/`).join(', ')}, ` +
      `test/e2e/${id}.test.ts`,
  );
  io.out(
    `Next: npx vitest run test/e2e/${id}.test.ts; then make the definition, the texts in ` +
      `templates/${id}-*/<locale>/blocks/ and the test the journey's own (docs/writing-a-journey.md).`,
  );
  return 0;
}

/** Returns the journey's definition, templates and test, by path in the repository. */
export function journeyFiles(
  id: string,
  type: string,
  subjects: SubjectTypes,
  locales: readonly string[],
): Record<string, string> {
  const starter = subjects.starter(type);
  const sample = { customer: { given: 'Sanne', family: 'de Vries' }, subject: starter.sample };
  const templates = STEP_IDS.flatMap((stepId, index) =>
    Object.entries(
      starterTemplateFiles(
        { journeyId: id, stepId, role: index === 0 ? 'first' : 'reminder' },
        starter,
        sample,
        locales,
      ),
    ).map(([path, content]) => [`templates/${path}`, content] as const),
  );
  return {
    [`statemachines/${id}.journey.json`]: jsonText(starterDefinition(id, type)),
    ...Object.fromEntries(templates),
    [`test/e2e/${id}.test.ts`]: starterTestSource({
      journeyId: id,
      subjectType: type,
      exitEvent: starter.exitEvent,
      secondWait: 'WaitForReminder',
      stepIds: STEP_IDS,
    }),
  };
}

/** The starter's compact definition: a first message in the customer's window, three days later a reminder. */
function starterDefinition(id: string, type: string) {
  return {
    $schema: './journey.schema.json',
    id,
    subject: type,
    comment: `${id}: a first message about the customer's ${type} in their window, a reminder three days later; the ${type}'s goal ends the run.`,
    timeoutDays: 365,
    plansFirstWake: true,
    steps: STEP_IDS.map((stepId, index) => ({
      comment:
        index === 0 ? `The first message about the ${type}.` : `Unless the goal is reached: the reminder.`,
      ...(index > 0
        ? { wait: { comment: 'Three days after the first message, in the customer’s window.' } }
        : {}),
      config: {
        stepId,
        templateId: `${id}-${stepId}`,
        purpose: 'service',
        channels: ['email', 'sms'],
        ...(index < STEP_IDS.length - 1 ? { next: { afterHours: 72 } } : {}),
      },
    })),
  };
}

/** The locales every template needs: the policy's `defaults.locales`. */
function policyLocalesIn(root: string): string[] {
  const policy = JSON.parse(readFileSync(join(root, 'templates/policy.json'), 'utf8')) as {
    defaults?: { locales?: string[] };
  };
  return policy.defaults?.locales ?? ['nl', 'en'];
}

function existingJourneyFile(root: string, id: string): string | undefined {
  return readdirSync(join(root, 'statemachines'))
    .filter((name) => name === `${id}.journey.json` || name === `${id}.asl.json`)
    .map((name) => `statemachines/${name}`)[0];
}

function refuse(io: CliIo, message: string): number {
  io.err(message);
  return 2;
}
