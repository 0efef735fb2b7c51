/**
 * The content files' part of the validation (`./validate-content.ts` is the entry): the journeys
 * (compact definitions, else ASL files), the policy and every template's `template.json`, read without
 * compiling or rendering anything, so the simulator can run it before it plans.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as z from 'zod/mini';
import { journeys } from '#catalog/catalog.ts';
import { nearestName } from '#core/did-you-mean.ts';
import { TemplateInfoSchema } from '#core/template-info.ts';
import { subjects } from '#subjects/registry.ts';
import { repoRoot } from '../constructs/repo-root.ts';
import { validateCompactJourneyDefinition } from '../journeys/journey-definition.ts';
import { type ContentIssue, schemaIssues } from './content-issue.ts';
import { validateJourneyDefinition } from './validate-journey.ts';
import { POLICY_FILE, parsePolicy } from './validate-policy.ts';

/** Returns the JSON in a file, or the issue that it cannot be read or is not JSON. */
function readJsonFile(root: string, file: string): { json: unknown } | { issue: ContentIssue } {
  const at = { file, where: '', field: '' };
  let text: string;
  try {
    text = readFileSync(resolve(root, file), 'utf8');
  } catch (error) {
    return {
      issue: { ...at, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` },
    };
  }
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    return { issue: { ...at, message: `not valid JSON (${(error as Error).message})` } };
  }
}

/** Returns the problems of every template's `template.json` (description, SMS limit, sample data). */
export function validateTemplateInfos(root: string = repoRoot): ContentIssue[] {
  const dir = join(root, 'templates');
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .flatMap((templateId) => {
      const file = `templates/${templateId}/template.json`;
      if (!existsSync(join(root, file))) {
        return [
          {
            file,
            where: '',
            field: '',
            message: 'missing: every template needs a description and sample data',
          },
        ];
      }
      const read = readJsonFile(root, file);
      if ('issue' in read) return [read.issue];
      const at = { file, where: `template ${templateId}` };
      return [
        ...schemaIssues(TemplateInfoSchema, read.json, at),
        ...sampleSubjectIssues(read.json, at),
        ...smsLimitKeyIssues(read.json, join(dir, templateId), at),
      ];
    });
}

/**
 * Returns the problems of per-variant SMS limits (`smsMaxSegments: { friendly: 1, firm: 2 }`): each
 * key must be a text variant folder of the template (a slip is named with the nearest one), and every
 * variant with an SMS must have its limit.
 */
function smsLimitKeyIssues(
  json: unknown,
  templateDir: string,
  at: { file: string; where: string },
): ContentIssue[] {
  const limits = (json as { smsMaxSegments?: unknown } | null)?.smsMaxSegments;
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) return [];
  const withSms = new Set<string>();
  const variants = new Set<string>();
  for (const locale of readdirSync(templateDir).filter((n) => statSync(join(templateDir, n)).isDirectory())) {
    for (const variant of readdirSync(join(templateDir, locale))) {
      if (variant === 'blocks' || !statSync(join(templateDir, locale, variant)).isDirectory()) continue;
      variants.add(variant);
      if (existsSync(join(templateDir, locale, variant, 'sms.liquid'))) withSms.add(variant);
    }
  }
  const named = Object.keys(limits);
  const issues: ContentIssue[] = named
    .filter((key) => !variants.has(key))
    .map((key) => {
      const hint = nearestName(key, [...variants]);
      const message = `no text variant folder ${key}${hint ? ` — did you mean "${hint}"?` : ''}`;
      return { ...at, field: `smsMaxSegments.${key}`, message };
    });
  for (const variant of [...withSms].sort()) {
    if (!named.includes(variant)) {
      issues.push({
        ...at,
        field: 'smsMaxSegments',
        message: `no limit for variant ${variant}, which has an SMS`,
      });
    }
  }
  return issues;
}

/**
 * Returns the problems of a `template.json`'s sample subject against its type's own schema (strict, from
 * its module in `functions/subjects/`): the template info's schema reads any subject's type and id only.
 */
function sampleSubjectIssues(json: unknown, at: { file: string; where: string }): ContentIssue[] {
  const subject = (json as { sample?: { subject?: unknown } } | null)?.sample?.subject;
  if (subject === null || typeof subject !== 'object') return [];
  const type = (subject as { type?: unknown }).type;
  if (typeof type !== 'string') return [];
  const spec = subjects.spec(type);
  const field = ['sample', 'subject'];
  if (!spec) {
    const hint = nearestName(type, subjects.types);
    const message = `"${type}" is not a subject type (${subjects.types.join(', ')})${hint ? ` — did you mean "${hint}"?` : ''}`;
    return [{ ...at, field: 'sample.subject.type', message }];
  }
  return schemaIssues(spec.schema as unknown as z.core.$ZodType, subject, { ...at, field });
}

export interface ProjectContentOptions {
  /** The folder holding `statemachines/` and `templates/` (the repository by default). */
  root?: string;
  /** The journeys' ASL files, from `root` (the catalog's by default). */
  journeyFiles?: readonly string[];
  /** A policy file instead of `templates/policy.json` (absolute, or from `root`). */
  policyFile?: string;
}

const COMPACT_SUFFIX = '.journey.json';

/**
 * Returns the problems of the journeys: each one's compact definition (`<id>.journey.json`) where it
 * has one, its steps named by place and id, else its ASL file, its steps named by state; with every journey
 * (`journeyFiles` not given) also compact definitions that have no ASL file yet.
 */
function journeyIssues(root: string, aslFiles: readonly string[], all: boolean): ContentIssue[] {
  const templatesDir = join(root, 'templates');
  const compactOf = (aslFile: string) => aslFile.replace(/\.asl\.json$/, COMPACT_SUFFIX);
  const compactFiles = new Set(aslFiles.map(compactOf).filter((file) => existsSync(join(root, file))));
  if (all && existsSync(join(root, 'statemachines'))) {
    for (const name of readdirSync(join(root, 'statemachines'))) {
      if (name.endsWith(COMPACT_SUFFIX)) compactFiles.add(`statemachines/${name}`);
    }
  }
  const issues: ContentIssue[] = [];
  for (const file of [...compactFiles].sort()) {
    const read = readJsonFile(root, file);
    issues.push(
      ...('issue' in read ? [read.issue] : validateCompactJourneyDefinition(read.json, file, templatesDir)),
    );
  }
  for (const file of aslFiles.filter((asl) => !compactFiles.has(compactOf(asl)))) {
    const read = readJsonFile(root, file);
    issues.push(
      ...('issue' in read ? [read.issue] : validateJourneyDefinition(read.json, file, templatesDir)),
    );
  }
  return issues;
}

/**
 * Returns the problems of the files alone (no rendering): the journeys, the policy and every
 * `template.json`. Synchronous and quick: the simulator runs it before it plans.
 */
export function validateContentFiles(options: ProjectContentOptions = {}): ContentIssue[] {
  const root = options.root ?? repoRoot;
  const files = options.journeyFiles ?? journeys.map((j) => j.definitionFile);
  const issues = journeyIssues(root, files, options.journeyFiles === undefined);
  const policyFile = options.policyFile ?? POLICY_FILE;
  const policy = readJsonFile(root, policyFile);
  issues.push(...('issue' in policy ? [policy.issue] : parsePolicy(policy.json, policyFile).issues));
  issues.push(...validateTemplateInfos(root));
  return issues;
}
