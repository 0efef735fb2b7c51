/**
 * Validation of a journey definition (an ASL file): the `step` of every run-journey-step Task is read
 * against the step schemas the Lambda parses it with (`#core/journey-step-run.ts`), so a misspelt key
 * fails here, naming the file, the state and the field, instead of being dropped or failing a run.
 */
import type * as z from 'zod/mini';
import { nearestName } from '#core/did-you-mean.ts';
import { HandOverStepConfigSchema, MessageStepConfigSchema } from '#core/journey-step-run.ts';
import { type ContentIssue, knownKeysAt, schemaIssues } from './content-issue.ts';
import { stepExperimentIssues } from './journey-experiments.ts';
import { type AslStates, statesOf } from './journey-steps.ts';

/** A Parameters key ending in `.$` takes its value from the state's input at run time. */
const RUN_TIME = '.$';

/**
 * Returns every problem of one step as a run-journey-step Task writes it (`Parameters.Payload.step`),
 * its fields from `step.`. A field given at run time (`"notAfter.$": "$.subject.remindBy"`) must be
 * a known field; its value is checked when the step runs.
 */
export function validateStepConfig(
  step: unknown,
  at: { file: string; where: string },
  templatesDir?: string,
  /** The step's key in its file: `step` in an ASL Task's Payload, `config` in a compact definition. */
  key = 'step',
): ContentIssue[] {
  if (step === null || typeof step !== 'object' || Array.isArray(step)) {
    return [{ ...at, field: key, message: 'expected an object' }];
  }
  const written = step as Record<string, unknown>;
  // A hand-over step or a message step, whichever the step comes nearer to (a misspelt `handOver` too).
  const [closest] = [HandOverStepConfigSchema, MessageStepConfigSchema]
    .map((schema) => literalStepIssues(schema, written, at, key))
    .sort((a, b) => a.length - b.length);
  const issues = closest ?? [];
  // The experiment's rules need a valid step (its channels, template and whether it is mandatory).
  if (issues.length > 0) return issues;
  return stepExperimentIssues(written, at, templatesDir).map((issue) => ({
    ...issue,
    field: issue.field.replace(/^step\./, `${key}.`),
  }));
}

/** Returns the problems of the step against one step schema, fields given at run time by their name only. */
function literalStepIssues(
  schema: z.core.$ZodType,
  written: Record<string, unknown>,
  at: { file: string; where: string },
  key: string,
): ContentIssue[] {
  const known = knownKeysAt(schema, []);
  const literal: Record<string, unknown> = {};
  const atRunTime = new Set<string>();
  const issues: ContentIssue[] = [];
  for (const [writtenKey, value] of Object.entries(written)) {
    if (!writtenKey.endsWith(RUN_TIME)) {
      literal[writtenKey] = value;
      continue;
    }
    const name = writtenKey.slice(0, -RUN_TIME.length);
    atRunTime.add(name);
    if (!known.includes(name)) {
      const nearest = nearestName(name, known);
      const hint =
        nearest === undefined ? ` (known: ${known.join(', ')})` : ` — did you mean "${nearest}${RUN_TIME}"?`;
      issues.push({ ...at, field: `${key}.${writtenKey}`, message: `unknown key${hint}` });
    }
  }
  const skip = (path: readonly PropertyKey[]) => atRunTime.has(String(path[0]));
  return [...issues, ...schemaIssues(schema, literal, { ...at, field: [key] }, { skip })];
}

/**
 * Returns every problem of an ASL journey definition (its text, or the parsed JSON), each naming
 * `file`, the state and the field; empty when its steps may run.
 */
export function validateJourneyDefinition(
  definition: string | unknown,
  file: string,
  templatesDir?: string,
): ContentIssue[] {
  let parsed: unknown = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (error) {
      return [{ file, where: '', field: '', message: `not valid JSON (${(error as Error).message})` }];
    }
  }
  if (parsed === null || typeof parsed !== 'object' || !('States' in parsed)) {
    return [{ file, where: '', field: 'States', message: 'required: an ASL definition has States' }];
  }
  return statesOf(parsed as AslStates).flatMap(([state, body]) => {
    const payload = body.Type === 'Task' ? body.Parameters?.Payload : undefined;
    if (!payload || typeof payload !== 'object' || !('step' in payload)) return [];
    return validateStepConfig(payload.step, { file, where: `state ${state}` }, templatesDir);
  });
}
