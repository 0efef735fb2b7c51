/**
 * `klantreis new subject <type> [--goal <status>]`: writes the subject module
 * `functions/subjects/<type>.ts` (a commented starting point after `functions/subjects/subject-type.ts`)
 * and regenerates, so the registry lists it at once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeNewFiles } from './new-files.ts';
import type { CliIo } from './new-io.ts';
import { subjectTypeProblem } from './new-names.ts';
import { subjectModuleSource } from './new-subject-module.ts';

export const NEW_SUBJECT_USAGE =
  'Usage: klantreis new subject <type> [--goal <status>]\n\n' +
  '  Writes functions/subjects/<type>.ts: the subject type, with an example date and link to rename,\n' +
  '  its statuses, its goal (--goal, default "done"), the events <type>.created and <type>.<goal>,\n' +
  '  template data and a sample; then runs `klantreis generate`.';

/** Files in `functions/subjects/` that are not subject modules. */
const NOT_MODULES = new Set(['subject-type', 'registry', 'all']);
const STATUS_PATTERN = /^[a-z][a-z0-9-]*$/;

export function runNewSubject(args: readonly string[], io: CliIo, root: string): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(NEW_SUBJECT_USAGE);
    return 0;
  }
  const [type, ...options] = args;
  const problem = subjectTypeProblem(type) ?? optionsProblem(options);
  if (problem || !type) return refuse(io, problem ?? NEW_SUBJECT_USAGE);
  const goal = options[1] ?? 'done';
  if (NOT_MODULES.has(type))
    return refuse(io, `"${type}" is a file of the subject registry, not a subject type`);
  const path = join(root, 'functions/subjects', `${type}.ts`);
  if (existsSync(path))
    return refuse(io, `subject type "${type}" exists already: functions/subjects/${type}.ts`);
  const clash = subjectModulesIn(root).find((existing) => existing.toLowerCase() === type);
  if (clash) return refuse(io, `subject type "${type}" exists already as ${clash}`);
  writeNewFiles(root, { [`functions/subjects/${type}.ts`]: subjectModuleSource(type, goal) });
  io.out(`wrote functions/subjects/${type}.ts`);
  io.out(
    `Next: make it say what a ${type} is (its fields, dates, links, sample; docs/writing-a-journey.md), ` +
      `then: npx klantreis new journey <id> --subject ${type}`,
  );
  return 0;
}

function optionsProblem(options: readonly string[]): string | undefined {
  if (options.length === 0) return undefined;
  const [flag, goal, ...rest] = options;
  if (flag !== '--goal' || rest.length > 0) return `unexpected ${options.join(' ')}\n\n${NEW_SUBJECT_USAGE}`;
  if (!goal || !STATUS_PATTERN.test(goal)) {
    return `--goal takes a status: lower-case words joined by dashes (e.g. renewed)`;
  }
  if (goal === 'open') return '--goal cannot be "open": that is where a new subject starts';
  return undefined;
}

function subjectModulesIn(root: string): string[] {
  return readdirSync(join(root, 'functions/subjects'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.slice(0, -3))
    .filter((name) => !NOT_MODULES.has(name));
}

function refuse(io: CliIo, message: string): number {
  io.err(message);
  return 2;
}
