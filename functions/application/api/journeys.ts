/**
 * What `GET /journeys` answers: each journey drawn from its state machine, with how many running runs
 * wait in each state now. AWS-free (zod only): the handler and the console's pages share it.
 */
import * as z from 'zod/mini';

export const GraphStepSchema = z.object({
  key: z
    .string()
    .check(z.describe('The step id (`first-reminder`), or `<stepId>#read-check` for its read check.')),
  kind: z.enum(['message', 'read-check', 'hand-over']),
  config: z
    .record(z.string(), z.unknown())
    .check(
      z.describe(
        'The step as the state machine passes it to the step function: template, channels, tone, conditions (`onlyIf`), experiment, timing (`next`).',
      ),
    ),
});

export const JourneyStateSchema = z.object({
  name: z.string(),
  type: z.enum(['Task', 'Wait', 'Pass', 'Choice', 'Succeed', 'Fail', 'Map', 'Parallel']),
  comment: z.optional(z.string()),
  step: z.optional(GraphStepSchema),
  waitsForCallback: z
    .boolean()
    .check(z.describe('A Task that waits for its message to be read: runs can wait in it.')),
  terminal: z.boolean(),
  parent: z.optional(z.string()),
  running: z
    .number()
    .check(z.describe('Running runs waiting in this state now (exact counters, not a scan).')),
});
export type JourneyState = z.infer<typeof JourneyStateSchema>;

export const JourneyEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  kind: z.enum(['next', 'choice', 'default', 'catch', 'retry']),
  errors: z.optional(z.array(z.string()).check(z.describe('The errors a Catch or Retry matches.'))),
});
export type JourneyEdge = z.infer<typeof JourneyEdgeSchema>;

export const JourneyViewSchema = z.object({
  journeyId: z.string(),
  subject: z.optional(z.string()),
  comment: z.optional(z.string()),
  startAt: z.string(),
  running: z.number().check(z.describe('Running runs counted in the journey’s states.')),
  states: z.array(JourneyStateSchema),
  edges: z.array(JourneyEdgeSchema),
});
export type JourneyView = z.infer<typeof JourneyViewSchema>;

export const JourneysResponseSchema = z.object({
  journeys: z.array(JourneyViewSchema),
  countedAt: z.string().check(z.describe('When the counts were read (UTC ISO).')),
});
export type JourneysResponse = z.infer<typeof JourneysResponseSchema>;
