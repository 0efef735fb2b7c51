/**
 * The compact journey definition (`statemachines/<id>.journey.json`): what a journey is about and its
 * steps in order, each with the `run-journey-step` config it runs. `npx klantreis generate` turns it into
 * the deployed ASL (`./generate-asl.ts`) and the catalog's journeys list. Step configs are passed
 * through as they are: the journey step validates them, not this schema.
 */
import '#application/zod-english.ts';
import * as z from 'zod/mini';
import { SubjectDayOffsetSchema } from '#core/subject-dates.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const STATE_NAME = /^[A-Z][A-Za-z0-9]*$/;

const stateName = z
  .string()
  .check(z.regex(STATE_NAME, 'a state name is PascalCase letters and digits (e.g. WaitForReminder)'));
const comment = z.string().check(z.minLength(1));

/** A Wait state the generator writes, named and explained when the default does not fit. */
const waitSchema = z.strictObject({
  /** The Wait state's name; default `WaitFor<the step's state>`. */
  state: z.optional(stateName),
  /** Its `Comment`: why the run waits here and until when. */
  comment: z.optional(comment),
});

export const journeyStepSchema = z.strictObject({
  /**
   * The `run-journey-step` config (the Task's `Payload.step`), written into the ASL as it is. Its
   * `stepId` names the Task (`first-reminder` → `FirstReminder`; a `handOver` step → `HandOver<Reason>`).
   */
  config: z.record(z.string(), z.unknown()),
  /** The Task state's name when the default does not fit. */
  state: z.optional(stateName),
  /** The Task's `Comment`: what the step does, for the reader of the ASL and Workflow Studio. */
  comment: z.optional(comment),
  /** The Wait before this step (every step but the first): until the wake the previous step planned. */
  wait: z.optional(waitSchema),
  /** A step with `followUpUnreadHours`: its read check Task (`<State>Unread`), which sends the supporting channel. */
  readCheck: z.optional(z.strictObject({ comment: z.optional(comment) })),
});

export const journeyDefinitionSchema = z.strictObject({
  /** The JSON Schema for editors. */
  $schema: z.optional(z.string()),
  /** The journey's id: the file's name (`<id>.journey.json`), kebab-case. */
  id: z.string().check(z.regex(KEBAB, 'a journey id is kebab-case (e.g. payment-reminder)')),
  /** The subject type it is about (`subject.type` at the start); a start with another type is refused. */
  subject: z.string().check(z.regex(KEBAB, 'a subject type is kebab-case (e.g. invoice)')),
  /** The state machine's `Comment`: the journey in a few sentences. */
  comment: comment,
  /** How long a run may take at most (the state machine's `TimeoutSeconds`, in days). */
  timeoutDays: z.number().check(z.int(), z.positive()),
  /**
   * The starter plans the run's first wake in the customer's window and the run starts with a Wait on it.
   * Absent or false: the run starts with its first step's Task at once (a transactional confirmation).
   */
  plansFirstWake: z.optional(z.boolean()),
  /**
   * The run's first message is about a date of its subject (`{ "daysBefore": 30, "of": "endDate" }`): the
   * starter plans the first wake in the customer's window on that day. Needs `plansFirstWake`; absent: the
   * next slot from now.
   */
  firstWake: z.optional(SubjectDayOffsetSchema),
  /** The Wait on the planned first wake (only with `plansFirstWake`); default `WaitFor<first step's state>`. */
  firstWakeWait: z.optional(waitSchema),
  /** The `Done` (Succeed) state's `Comment`: how a run ends early (goal reached, handed over). */
  doneComment: z.optional(comment),
  /** The steps in order; each wakes the next (its config's `next`), the last one ends the run. */
  steps: z.array(journeyStepSchema).check(z.minLength(1)),
});

export type JourneyDefinition = z.infer<typeof journeyDefinitionSchema>;
export type JourneyStep = z.infer<typeof journeyStepSchema>;

export const JOURNEY_DEFINITION_SUFFIX = '.journey.json';

/**
 * Returns the definition parsed from a file's JSON text, or throws an error naming the file and every
 * problem with its field path.
 */
export function parseJourneyDefinition(text: string, fileName: string): JourneyDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not JSON (${(error as Error).message})`);
  }
  const parsed = journeyDefinitionSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.length > 0 ? issue.path.join('.') : '(the file)'}: ${issue.message}`,
    );
    throw new Error(`${fileName}: invalid journey definition:\n${problems.join('\n')}`);
  }
  const expectedId = baseName(fileName).slice(0, -JOURNEY_DEFINITION_SUFFIX.length);
  if (parsed.data.id !== expectedId) {
    throw new Error(`${fileName}: id "${parsed.data.id}" must be the file's name "${expectedId}"`);
  }
  return parsed.data;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
