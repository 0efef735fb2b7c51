/**
 * Every file `npx klantreis generate` writes, computed from the sources in memory: each journey's ASL
 * from its compact definition, the catalog's journeys list, the journeys' ASL imports for the handlers
 * that draw them, the subject registry's module list and the definition's JSON Schema. The command
 * writes them; a test and `cdk synth` compare them with the files on disk.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAsl } from './generate-asl.ts';
import {
  JOURNEY_DEFINITION_SUFFIX,
  type JourneyDefinition,
  parseJourneyDefinition,
} from './journey-definition.ts';
import { journeyJsonSchema } from './journey-json-schema.ts';
import { jsonText } from './json-text.ts';

export interface GeneratedFile {
  /** Path from the repository root. */
  path: string;
  text: string;
}

export const STATEMACHINES_DIR = 'statemachines';
export const JOURNEYS_CATALOG_FILE = 'functions/catalog/journeys.ts';
export const JOURNEY_DEFINITIONS_FILE = 'functions/application/journey-definitions.ts';
export const SUBJECT_MODULES_FILE = 'functions/subjects/all.ts';
export const JOURNEY_SCHEMA_FILE = `${STATEMACHINES_DIR}/journey.schema.json`;
export const REGENERATE = 'run `npx klantreis generate`';

const SUBJECTS_DIR = 'functions/subjects';
/** The subject folder's files that are not subject modules. */
const NOT_SUBJECT_MODULES = new Set(['subject-type.ts', 'registry.ts', 'all.ts']);

export interface LoadedJourney {
  /** The compact definition's path from the repository root. */
  file: string;
  definition: JourneyDefinition;
}

/** Every `statemachines/<id>.journey.json`, parsed, by id. Throws on the first invalid one. */
export function readJourneyDefinitions(root: string): LoadedJourney[] {
  return readdirSync(join(root, STATEMACHINES_DIR))
    .filter((name) => name.endsWith(JOURNEY_DEFINITION_SUFFIX))
    .sort()
    .map((name) => {
      const file = `${STATEMACHINES_DIR}/${name}`;
      return { file, definition: parseJourneyDefinition(readFileSync(join(root, file), 'utf8'), file) };
    });
}

/** The ASL file a journey's definition generates. */
export function aslFileOf(journeyId: string): string {
  return `${STATEMACHINES_DIR}/${journeyId}.asl.json`;
}

/** Every generated file's path and text, formatted as biome formats it. */
export function generatedFiles(root: string): GeneratedFile[] {
  const journeys = readJourneyDefinitions(root);
  const subjectModules = existsSync(join(root, SUBJECTS_DIR)) ? subjectModuleFiles(root) : undefined;
  if (subjectModules && subjectModules.length > 0) {
    const subjectTypes = subjectModules.map((file) => file.slice(0, -'.ts'.length));
    const unknown = journeys.filter(({ definition }) => !subjectTypes.includes(definition.subject));
    if (unknown.length > 0) {
      throw new Error(
        unknown
          .map(({ file, definition }) => unknownSubjectMessage(file, definition.subject, subjectTypes))
          .join('\n'),
      );
    }
  }
  const files: GeneratedFile[] = [
    ...journeys.map(({ definition }) => ({
      path: aslFileOf(definition.id),
      text: jsonText(generateAsl(definition)),
    })),
    { path: JOURNEYS_CATALOG_FILE, text: journeysCatalogText(journeys.map((j) => j.definition)) },
    { path: JOURNEY_DEFINITIONS_FILE, text: journeyDefinitionsText(journeys.map((j) => j.definition.id)) },
    { path: JOURNEY_SCHEMA_FILE, text: jsonText(journeyJsonSchema()) },
  ];
  if (subjectModules) {
    files.push({ path: SUBJECT_MODULES_FILE, text: subjectModulesText(subjectModules) });
  }
  return files.map((file) => ({ path: file.path, text: formatWithBiome(root, file) }));
}

/** The generated files whose text on disk differs from what the sources generate (or that are missing). */
export function staleFiles(root: string, files: readonly GeneratedFile[] = generatedFiles(root)): string[] {
  return files
    .filter((file) => {
      const path = join(root, file.path);
      return !existsSync(path) || readFileSync(path, 'utf8') !== file.text;
    })
    .map((file) => file.path);
}

/** A journey about a subject type no module in `functions/subjects/` declares (`<type>.ts`). */
function unknownSubjectMessage(file: string, subject: string, subjectTypes: readonly string[]): string {
  return `${file}: subject: unknown subject type "${subject}" (known: ${subjectTypes.join(', ')}; a new one is a module functions/subjects/${subject}.ts)`;
}

function journeysCatalogText(definitions: readonly JourneyDefinition[]): string {
  const entries = definitions.map((d) => {
    const fields = [
      `id: ${quote(d.id)}`,
      `definitionFile: ${quote(aslFileOf(d.id))}`,
      `subject: ${quote(d.subject)}`,
      ...(d.plansFirstWake ? ['plansFirstWake: true'] : []),
      ...(d.firstWake ? [`firstWake: ${JSON.stringify(d.firstWake)}`] : []),
    ];
    return `  { ${fields.join(', ')} },`;
  });
  return [
    '// Written by `npx klantreis generate` from the journey definitions (`statemachines/<id>.journey.json`);',
    '// a test checks that it is up to date.',
    "import type { JourneySpec } from './journey-spec.ts';",
    '',
    'export const journeys = [',
    ...entries,
    '] as const satisfies readonly JourneySpec[];',
    '',
  ].join('\n');
}

function journeyDefinitionsText(journeyIds: readonly string[]): string {
  const imports = journeyIds.map(
    (id) => `import ${camel(id)} from '../../${aslFileOf(id)}' with { type: 'json' };`,
  );
  return [
    '// Written by `npx klantreis generate` from the journey definitions (`statemachines/<id>.journey.json`);',
    '// a test checks that it is up to date. The ASL is imported as JSON, so the bundler puts it into only',
    '// the bundles that import this module (the handlers that draw the journeys, never the journey step).',
    ...imports,
    '',
    '/** Each journey’s parsed ASL definition (the function ARN placeholders left in). */',
    'export const journeyDefinitions: Readonly<Record<string, unknown>> = {',
    ...journeyIds.map((id) => (camel(id) === id ? `  ${id},` : `  ${quote(id)}: ${camel(id)},`)),
    '};',
    '',
  ].join('\n');
}

function subjectModuleFiles(root: string): string[] {
  return readdirSync(join(root, SUBJECTS_DIR))
    .filter((name) => name.endsWith('.ts') && !NOT_SUBJECT_MODULES.has(name))
    .sort();
}

function subjectModulesText(moduleFiles: readonly string[]): string {
  const names = moduleFiles.map((file) => camel(file.slice(0, -'.ts'.length)));
  return [
    '// Written by `npx klantreis generate` from the subject modules in this folder (every `*.ts` but',
    '// `subject-type.ts`, `registry.ts` and `all.ts`); a test checks that it is up to date.',
    ...moduleFiles.map((file, index) => `import ${names[index]} from './${file}';`),
    '',
    `export const subjectModules = [${names.join(', ')}] as const;`,
    '',
  ].join('\n');
}

function formatWithBiome(root: string, file: GeneratedFile): string {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  const result = spawnSync(biome, ['format', `--stdin-file-path=${file.path}`], {
    cwd: root,
    input: file.text,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`biome could not format the generated ${file.path}:\n${result.stderr}`);
  }
  return result.stdout;
}

function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function camel(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
