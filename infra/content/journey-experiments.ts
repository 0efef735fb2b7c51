/**
 * Validation of the experiments the journeys declare: every Task step of an ASL file with an `experiment`
 * (or `mandatory`) is checked against the experiment rules (`#core/experiment.ts`) and the text variants
 * its template has in every locale. `cdk synth` (the journey construct), the content validation in
 * `npm test` and the simulator all refuse a bad experiment with the file, the state and the field.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sourceTemplatesDir } from '#adapters/template-files.ts';
import { ChannelSchema } from '#core/customer.ts';
import { ExperimentSchema } from '#core/experiment.ts';
import { experimentProblems } from '#core/experiment-rules.ts';
import { type ContentIssue, fieldOf, formatIssue } from './content-issue.ts';
import { type AslStates, statesOf } from './journey-steps.ts';

/** Returns the text variants (tone and named variant folders) of a template per locale, from its source folder. */
export function templateVariantsOf(
  templateId: string,
  templatesDir: string = sourceTemplatesDir(),
): Record<string, string[]> | undefined {
  const dir = join(templatesDir, templateId);
  if (!existsSync(dir)) return undefined;
  const foldersIn = (path: string) =>
    readdirSync(path).filter((name) => statSync(join(path, name)).isDirectory());
  const byLocale: Record<string, string[]> = {};
  for (const locale of foldersIn(dir)) {
    byLocale[locale] = foldersIn(join(dir, locale))
      .filter((name) => name !== 'blocks')
      .sort();
  }
  return byLocale;
}

/**
 * Returns every problem of the experiments in an ASL definition, each as
 * `<file>: state <State>: step.<field>: <problem>`; empty when there is none (or no experiment).
 */
export function journeyExperimentProblems(
  aslText: string,
  file: string,
  templatesDir: string = sourceTemplatesDir(),
): string[] {
  return statesOf(JSON.parse(aslText) as AslStates).flatMap(([state, body]) => {
    const step = body.Type === 'Task' ? body.Parameters?.Payload?.step : undefined;
    if (!step || typeof step !== 'object') return [];
    return stepExperimentIssues(
      step as Record<string, unknown>,
      { file, where: `state ${state}` },
      templatesDir,
    ).map(formatIssue);
  });
}

/** Returns the problems of one step's experiment (none without one), fields from `step.experiment`. */
export function stepExperimentIssues(
  step: Record<string, unknown>,
  at: { file: string; where: string },
  templatesDir: string = sourceTemplatesDir(),
): ContentIssue[] {
  if (step.experiment === undefined) return [];
  const issues: ContentIssue[] = [];
  const add = (field: string, message: string) =>
    issues.push({ file: at.file, where: at.where, field: `step.${field}`, message });
  const parsed = ExperimentSchema.safeParse(step.experiment);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(fieldOf(['experiment', ...issue.path]), issue.message);
    return issues;
  }
  const channels = Array.isArray(step.channels)
    ? step.channels.filter((c) => ChannelSchema.safeParse(c).success)
    : [...ChannelSchema.options];
  const templateId = typeof step.templateId === 'string' ? step.templateId : undefined;
  const variantsByLocale = templateId ? templateVariantsOf(templateId, templatesDir) : undefined;
  if (templateId && !variantsByLocale) add('templateId', `template ${templateId} does not exist`);
  const context = {
    channels,
    ...(step.mandatory === true ? { mandatory: true } : {}),
    ...(variantsByLocale ? { variantsByLocale } : {}),
  };
  for (const { field, problem } of experimentProblems(parsed.data, context)) add(field, problem);
  return issues;
}
