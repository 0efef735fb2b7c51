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
 * `<file>: state <State>: <field>: <problem>`; empty when there is none (or no experiment).
 */
export function journeyExperimentProblems(
  aslText: string,
  file: string,
  templatesDir: string = sourceTemplatesDir(),
): string[] {
  const problems: string[] = [];
  for (const [state, body] of statesOf(JSON.parse(aslText) as AslStates)) {
    const step =
      body.Type === 'Task' ? (body.Parameters?.Payload?.step as Record<string, unknown>) : undefined;
    if (!step || typeof step !== 'object' || step.experiment === undefined) continue;
    const at = (field: string, problem: string) =>
      problems.push(`${file}: state ${state}: ${field}: ${problem}`);
    const parsed = ExperimentSchema.safeParse(step.experiment);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) at(fieldOf(['experiment', ...issue.path]), issue.message);
      continue;
    }
    const channels = Array.isArray(step.channels)
      ? step.channels.filter((c) => ChannelSchema.safeParse(c).success)
      : [...ChannelSchema.options];
    const templateId = typeof step.templateId === 'string' ? step.templateId : undefined;
    const variantsByLocale = templateId ? templateVariantsOf(templateId, templatesDir) : undefined;
    if (templateId && !variantsByLocale) at('templateId', `template ${templateId} does not exist`);
    const context = {
      channels,
      ...(step.mandatory === true ? { mandatory: true } : {}),
      ...(variantsByLocale ? { variantsByLocale } : {}),
    };
    for (const { field, problem } of experimentProblems(parsed.data, context)) at(field, problem);
  }
  return problems;
}

/** Returns a zod path as the field a person writes: `experiment.arms[1].weight`. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
