/**
 * The compact journey definition (`statemachines/<id>.journey.json`): what a journey is about and its
 * steps in order, each with the `run-journey-step` config it runs. `npx klantreis generate` turns it into
 * the deployed ASL (`./generate-asl.ts`) and the catalog's journeys list. Step configs are passed
 * through as they are: the journey step validates them, not this schema.
 */
import '#adapters/zod-english.ts';
import * as z from 'zod/mini';
import { SubjectDayOffsetSchema } from '#core/subject-dates.ts';
import { type ContentIssue, contentReport, schemaIssues } from '../content/content-issue.ts';
import { validateStepConfig } from '../content/validate-journey.ts';
import { subjectDateIssues } from './subject-date-issues.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const STATE_NAME = /^[A-Z][A-Za-z0-9]*$/;

const stateName = z
  .string()
  .check(z.regex(STATE_NAME, 'a state name is PascalCase letters and digits (e.g. WaitForReminder)'));
const comment = z.string().check(z.minLength(1));

/** Adds the description editors show (the JSON Schema's `description`). */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description)) as T;
}

/** A Wait state the generator writes, named and explained when the default does not fit. */
const waitSchema = z.strictObject({
  state: z.optional(described(stateName, "The Wait state's name; default `WaitFor<the step's state>`.")),
  comment: z.optional(described(comment, 'Its `Comment`: why the run waits here and until when.')),
});

export const journeyStepSchema = z.strictObject({
  config: described(
    z.record(z.string(), z.unknown()),
    "The run-journey-step config (the Task's `Payload.step`), written into the ASL as it is. Its `stepId` names the Task (`first-reminder` → `FirstReminder`; a `handOver` step → `HandOver<Reason>`).",
  ),
  state: z.optional(described(stateName, "The Task state's name when the default does not fit.")),
  comment: z.optional(
    described(
      comment,
      "The Task's `Comment`: what the step does, for the reader of the ASL and Workflow Studio.",
    ),
  ),
  wait: z.optional(
    described(
      waitSchema,
      'The Wait before this step (every step but the first): until the wake the step before planned.',
    ),
  ),
  readCheck: z.optional(
    described(
      z.strictObject({ comment: z.optional(comment) }),
      'A step with `followUpUnreadHours`: the `comment` of its read check Task (`<State>Unread`), which sends the supporting channel.',
    ),
  ),
});

export const journeyDefinitionSchema = z.strictObject({
  $schema: z.optional(described(z.string(), 'The JSON Schema for editors: "./journey.schema.json".')),
  id: described(
    z.string().check(z.regex(KEBAB, 'a journey id is kebab-case (e.g. payment-reminder)')),
    "The journey's id: the file's name (`<id>.journey.json`), kebab-case.",
  ),
  subject: described(
    z.string().check(z.regex(KEBAB, 'a subject type is kebab-case (e.g. invoice)')),
    'The subject type it is about (`subject.type` at the start); a start with another type is refused.',
  ),
  comment: described(comment, "The state machine's `Comment`: the journey in a few sentences."),
  timeoutDays: described(
    z.number().check(z.int(), z.positive()),
    "How long a run may take at most, in days (the state machine's `TimeoutSeconds`).",
  ),
  plansFirstWake: z.optional(
    described(
      z.boolean(),
      "The starter plans the run's first wake in the customer's window and the run starts with a Wait on it. Absent or false: the run starts with its first step's Task at once (a transactional confirmation).",
    ),
  ),
  firstWake: z.optional(
    described(
      SubjectDayOffsetSchema,
      'The run\'s first message is about a date of its subject (`{ "daysBefore": 30, "of": "endDate" }`): the starter plans the first wake in the customer\'s window on that day. Needs `plansFirstWake`; absent: the next slot from now.',
    ),
  ),
  firstWakeWait: z.optional(
    described(
      waitSchema,
      "The Wait on the planned first wake (only with `plansFirstWake`); default name `WaitFor<first step's state>`.",
    ),
  ),
  doneComment: z.optional(
    described(
      comment,
      "The `Done` (Succeed) state's `Comment`: how a run ends early (goal reached, handed over).",
    ),
  ),
  steps: described(
    z.array(journeyStepSchema).check(z.minLength(1)),
    "The steps in order; each wakes the next (its config's `next`), the last one ends the run.",
  ),
});

export type JourneyDefinition = z.infer<typeof journeyDefinitionSchema>;
export type JourneyStep = z.infer<typeof journeyStepSchema>;

export const JOURNEY_DEFINITION_SUFFIX = '.journey.json';

/**
 * Returns every problem of a compact journey definition (`statemachines/<id>.journey.json`): its own
 * fields, and each step's `config` as the journey step reads it, the step named by its place and id
 * (`statemachines/trial.journey.json: steps[0] (welcome): config.nxt: unknown key — did you mean "next"?`),
 * as `npx klantreis generate` names it.
 */
export function validateCompactJourneyDefinition(
  json: unknown,
  file: string,
  templatesDir?: string,
): ContentIssue[] {
  const issues = schemaIssues(journeyDefinitionSchema, json, { file, where: '' });
  const steps = (json as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return issues;
  steps.forEach((step, index) => {
    const config = (step as { config?: unknown } | null)?.config;
    if (config === null || typeof config !== 'object') return;
    const stepId = (config as { stepId?: unknown }).stepId;
    const where = `steps[${index}]${typeof stepId === 'string' ? ` (${stepId})` : ''}`;
    issues.push(...validateStepConfig(config, { file, where }, templatesDir, 'config'));
  });
  issues.push(...subjectDateIssues(json, file));
  return issues;
}

/**
 * Returns the definition parsed from a file's JSON text, or throws the content report: every problem
 * with the file, the step and the field, an unknown key with the nearest known one. Each step's config
 * is checked against the schemas the journey step parses it with.
 */
export function parseJourneyDefinition(text: string, file: string): JourneyDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      contentReport([
        { file, where: '', field: '', message: `not valid JSON (${(error as Error).message})` },
      ]),
    );
  }
  const issues = validateCompactJourneyDefinition(json, file);
  const parsed = journeyDefinitionSchema.safeParse(json);
  if (parsed.success) {
    const expectedId = baseName(file).slice(0, -JOURNEY_DEFINITION_SUFFIX.length);
    if (parsed.data.id !== expectedId) {
      issues.push({
        file,
        where: '',
        field: 'id',
        message: `"${parsed.data.id}" must be the file's name "${expectedId}"`,
      });
    }
  }
  if (issues.length > 0 || !parsed.success) throw new Error(contentReport(issues));
  return parsed.data;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
