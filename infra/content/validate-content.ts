/**
 * The one content validation, run by `npm test` (test/content), `npm start`, the simulator and `cdk
 * synth` (`validateProjectContent`): the journey definitions (`./validate-journey.ts`), the policy
 * (`./validate-policy.ts`), every template's `template.json`, and then, for every journey step, every
 * channel × locale × variant the decision core can pick (the tone rule, `#core/tone-rule.ts`) must have
 * its own template (no fallback), render in strict-variables mode (an unknown variable fails, named)
 * with its `template.json` sample and with its subject type's own sample (the module's `sample()`), pass
 * `checkMessage`, and read without a gap for a customer without a name.
 * Every problem names its file, where in it, and the field.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadTemplateCatalog } from '#adapters/template-files.ts';
import { longSampleOf, renderSample, SAMPLE_NOW, sampleDataFor } from '#application/templates/samples.ts';
import { journeys } from '#catalog/catalog.ts';
import { type ContentCase, caseName, checkMessage, contentCasesOf } from '#core/content-check.ts';
import { nearestName } from '#core/did-you-mean.ts';
import type { Policy } from '#core/policy.ts';
import { smsLimitOf, type TemplateCatalog, templateChannelOf } from '#core/render.ts';
import type { TemplateInfo } from '#core/template-info.ts';
import { subjects } from '#subjects/registry.ts';
import { repoRoot } from '../constructs/repo-root.ts';
import { compileTemplates } from './compile-templates.ts';
import { type ContentIssue, contentReport } from './content-issue.ts';
import { type JourneyStepInFile, journeyStepsOf } from './journey-steps.ts';
import { type ProjectContentOptions, validateContentFiles } from './validate-files.ts';
import { POLICY_FILE, parsePolicy } from './validate-policy.ts';

export { type ProjectContentOptions, validateContentFiles, validateTemplateInfos } from './validate-files.ts';

const CHANNEL_FILES = {
  email: 'email.mjml (+ subject and text)',
  sms: 'sms.liquid',
  // A letter is written under the email's subject, from its own letter.liquid or the email's text.
  letter: 'email.mjml (+ subject and text)',
  // A call's script for the contact centre.
  phone: 'call.liquid',
} as const;

export interface ContentFailure {
  case: ContentCase;
  problem: string;
  /** `template …, channel …, locale …, variant …: problem`. */
  message: string;
  /** The same problem with the template folder it is in. */
  issue: ContentIssue;
}

/** Returns every failure of the content the journeys can pick; empty when all of it may ship. */
export function validateContent(input: {
  catalog: TemplateCatalog;
  policy: Policy;
  steps: readonly JourneyStepInFile[];
}): { cases: ContentCase[]; failures: ContentFailure[] } {
  const { catalog, policy } = input;
  const cases = contentCasesOf(
    input.steps.map((s) => s.step),
    policy,
    (templateId) => Object.keys(catalog.templates[templateId] ?? {}),
  );
  const failures: ContentFailure[] = [];
  const fail = (c: ContentCase, problem: string, smsFile = 'sms.liquid') =>
    failures.push({
      case: c,
      problem,
      message: `${caseName(c)}: ${problem}`,
      issue: {
        file: `templates/${c.templateId}/${c.locale}/${c.tone}${c.channel === 'sms' ? `/${smsFile}` : ''}`,
        where: caseName(c),
        field: '',
        message: problem,
      },
    });

  for (const c of cases) {
    const variant = catalog.templates[c.templateId]?.[c.locale]?.[c.tone];
    if (!catalog.templates[c.templateId]) {
      fail(c, `missing: no folder templates/${c.templateId}/`);
      continue;
    }
    if (!variant?.[templateChannelOf(c.channel)]) {
      fail(c, `missing: templates/${c.templateId}/${c.locale}/${c.tone}/${CHANNEL_FILES[c.channel]}`);
      continue;
    }
    const wrongSample = sampleTypeProblem(catalog, c);
    if (wrongSample) {
      fail(c, wrongSample);
      continue;
    }
    let rendered: ReturnType<typeof renderSample>;
    try {
      rendered = renderSample(catalog, c, policy.defaults.locale);
    } catch (error) {
      const message = (error as Error).message;
      fail(c, `does not render with the sample data: ${message}${variableHint(message, catalog, c)}`);
      continue;
    }
    const limits = { smsMaxSegments: smsLimitOf(catalog, c.templateId, c.tone) };
    for (const problem of checkMessage(rendered.message, limits).problems) fail(c, problem);
    if (c.channel === 'sms') {
      for (const { file, problem } of smsLimitProblems(catalog, c, policy.defaults.locale))
        fail(c, problem, file);
    }
    for (const problem of namelessProblems(catalog, c, policy.defaults.locale)) fail(c, problem);
    for (const problem of moduleSampleProblems(catalog, c, policy.defaults.locale)) fail(c, problem);
  }
  return { cases, failures };
}

/**
 * Returns where an SMS goes over its variant's part limit: its normal and its short text, each with
 * the template's sample, the long sample (`longSampleOf`: long names, a five-figure amount, a long
 * location) and its subject type's own sample, each with both opt-out forms (the link and reply STOP).
 */
function smsLimitProblems(
  catalog: TemplateCatalog,
  c: ContentCase,
  defaultLocale: string,
): { file: string; problem: string }[] {
  const info = catalog.info?.[c.templateId];
  const variant = catalog.templates[c.templateId]?.[c.locale]?.[c.tone];
  if (!info || !variant?.sms) return [];
  const samples: [string, TemplateInfo['sample']][] = [
    ['the sample', info.sample],
    ['the long sample', longSampleOf(info.sample)],
    ...[...subjectTypesOf(c)].flatMap((type): [string, TemplateInfo['sample']][] => {
      const spec = subjects.spec(type);
      if (!spec) return [];
      const subject = spec.sample({ id: 'sample-1', now: SAMPLE_NOW }) as TemplateInfo['sample']['subject'];
      return [[`the ${type} module's sample`, { ...info.sample, subject }]];
    }),
  ];
  const forms = variant.sms.short === undefined ? (['normal'] as const) : (['normal', 'short'] as const);
  const limits = { smsMaxSegments: smsLimitOf(catalog, c.templateId, c.tone) };
  const problems = new Map<string, { file: string; problem: string }>();
  for (const smsForm of forms) {
    const file = smsForm === 'short' ? 'sms.short.liquid' : 'sms.liquid';
    for (const [name, sample] of samples) {
      for (const smsOptOut of ['link', 'reply-stop'] as const) {
        const withSample = { ...catalog, info: { ...catalog.info, [c.templateId]: { ...info, sample } } };
        let message: ReturnType<typeof renderSample>['message'];
        try {
          message = renderSample(withSample, { ...c, smsForm, smsOptOut }, defaultLocale).message;
        } catch (error) {
          const problem = `${smsForm === 'short' ? 'the short text ' : ''}does not render with ${name}: ${(error as Error).message}`;
          problems.set(problem, { file, problem });
          continue;
        }
        for (const found of checkMessage(message, limits).problems) {
          const problem = `with ${name}${smsOptOut === 'reply-stop' ? ' and reply STOP' : ''}: ${found}`;
          problems.set(problem, { file, problem });
        }
      }
    }
  }
  return [...problems.values()];
}

/**
 * Returns ` — did you mean "contract.endDate"?` for an unknown variable one slip away from a variable
 * the sample data has at the same place, else ''.
 */
function variableHint(message: string, catalog: TemplateCatalog, c: ContentCase): string {
  const path = /undefined variable: ([\w.-]+)/.exec(message)?.[1]?.split('.');
  const last = path?.pop();
  if (!path || last === undefined) return '';
  let holder: unknown = sampleDataFor(catalog, c);
  for (const step of path) holder = (holder as Record<string, unknown> | null | undefined)?.[step];
  if (holder === null || typeof holder !== 'object') return '';
  const nearest = nearestName(last, Object.keys(holder));
  return nearest === undefined ? '' : ` — did you mean "${[...path, nearest].join('.')}"?`;
}

/** Returns the subject types of the journeys whose steps pick the case. */
function subjectTypesOf(c: ContentCase): Set<string> {
  const journeyIds = new Set(c.steps.map((step) => step.split('/')[0]));
  return new Set(journeys.filter((j) => journeyIds.has(j.id)).map((j) => j.subject as string));
}

/** Returns why the template's sample subject does not fit the journeys that pick it, or undefined. */
function sampleTypeProblem(catalog: TemplateCatalog, c: ContentCase): string | undefined {
  const written = catalog.info?.[c.templateId]?.sample.subject.type;
  const other = [...subjectTypesOf(c)].find((type) => written !== undefined && type !== written);
  return other === undefined
    ? undefined
    : `template.json's sample subject is of type ${written}, but its journey is about ${other}`;
}

/**
 * Returns what is wrong with the case rendered with the own sample of its journeys' subject type (its
 * module's `sample()`) instead of the template's: a template must read nothing a subject of the type may lack.
 */
function moduleSampleProblems(catalog: TemplateCatalog, c: ContentCase, defaultLocale: string): string[] {
  const info = catalog.info?.[c.templateId];
  if (!info) return [];
  return [...subjectTypesOf(c)].flatMap((type) => {
    const spec = subjects.spec(type);
    if (!spec) return [];
    const sample = spec.sample({ id: 'sample-1', now: SAMPLE_NOW }) as TemplateInfo['sample']['subject'];
    const withModuleSample = {
      ...catalog,
      info: { ...catalog.info, [c.templateId]: { ...info, sample: { ...info.sample, subject: sample } } },
    };
    try {
      renderSample(withModuleSample, c, defaultLocale);
      return [];
    } catch (error) {
      return [`does not render with the ${type} module's sample: ${(error as Error).message}`];
    }
  });
}

/** A space before punctuation or two in a row: where an empty name was left out ("Beste ,"). */
const NAME_GAP = / [,.;:!?]|\S {2,}\S/;

/**
 * Returns what is wrong with the case rendered for a customer without a name (the profile's names are
 * optional): it must render, and read without a gap where the name would go.
 */
function namelessProblems(catalog: TemplateCatalog, c: ContentCase, defaultLocale: string): string[] {
  const info = catalog.info?.[c.templateId];
  if (!info) return [];
  const nameless = {
    ...catalog,
    info: { ...catalog.info, [c.templateId]: { ...info, sample: { ...info.sample, customer: {} } } },
  };
  let message: ReturnType<typeof renderSample>['message'];
  try {
    message = renderSample(nameless, c, defaultLocale).message;
  } catch (error) {
    return [`does not render for a customer without a name: ${(error as Error).message}`];
  }
  const texts = 'subject' in message ? [message.subject, message.text] : [message.text];
  return texts
    .flatMap((text) => text.split('\n'))
    .filter((line) => NAME_GAP.test(line))
    .map((line) => `for a customer without a name, "${line.trim()}" has a gap where the name would go`);
}

/** Returns a compile or load error of the templates (`templates: <path>: problem`) as an issue. */
function templateErrorIssue(error: unknown): ContentIssue {
  const message = (error as Error).message.replace(/^templates: /, '');
  const [path, ...rest] = message.split(': ');
  return rest.length > 0 && path
    ? { file: `templates/${path}`, where: '', field: '', message: rest.join(': ') }
    : { file: 'templates', where: '', field: '', message };
}

/**
 * Returns every problem of the project's content, or none: the files (`validateContentFiles`), then,
 * when they are sound, the templates compiled and every case the journeys can pick rendered. The
 * repository's templates compile into `.local/templates` (skipped when up to date); another root's
 * into a temporary folder.
 */
export async function validateProjectContent(options: ProjectContentOptions = {}): Promise<ContentIssue[]> {
  const root = options.root ?? repoRoot;
  const files = options.journeyFiles ?? journeys.map((j) => j.definitionFile);
  const issues = validateContentFiles({ ...options, root });
  if (issues.length > 0) return issues;
  const temporary = root === repoRoot ? undefined : await mkdtemp(join(tmpdir(), 'klantreis-templates-'));
  try {
    let catalog: TemplateCatalog;
    try {
      const compiled = await compileTemplates({
        from: join(root, 'templates'),
        ...(temporary ? { to: temporary, force: true } : {}),
      });
      catalog = loadTemplateCatalog(compiled.dir);
    } catch (error) {
      return [templateErrorIssue(error)];
    }
    const policyText = readFileSync(resolve(root, options.policyFile ?? POLICY_FILE), 'utf8');
    const policy = parsePolicy(JSON.parse(policyText)).policy as Policy;
    let steps: JourneyStepInFile[];
    try {
      steps = await journeyStepsOf(files, root);
    } catch (error) {
      // `<file>: state <State>: …`: a step whose content depends on a field chosen at run time.
      return [{ file: '', where: '', field: '', message: (error as Error).message }];
    }
    return validateContent({ catalog, policy, steps }).failures.map((f) => f.issue);
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * Returns whether the project's content may run; when not, writes the report (a heading and a line per
 * problem, no stack) to `err`. `npm start` and `cdk synth` stop on false, with a non-zero exit code.
 */
export async function contentGate(
  err: (text: string) => void,
  options: ProjectContentOptions = {},
): Promise<boolean> {
  const issues = await validateProjectContent(options);
  if (issues.length > 0) err(contentReport(issues));
  return issues.length === 0;
}
