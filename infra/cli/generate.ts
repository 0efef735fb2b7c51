/**
 * `npx klantreis generate`: writes every generated file from its sources (each journey's ASL from its
 * compact definition, the catalog's journeys list, the subject registry's module list; see
 * `infra/journeys/generated-files.ts`). `--check` writes nothing and fails when a file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../constructs/repo-root.ts';
import { generatedFiles, REGENERATE, staleFiles } from '../journeys/generated-files.ts';

const USAGE = `Usage: klantreis generate [--check]

Writes each statemachines/<id>.asl.json from its <id>.journey.json, functions/catalog/journeys.ts,
functions/application/journey-definitions.ts, functions/subjects/all.ts and statemachines/journey.schema.json.
  --check   write nothing; exit 1 naming the files that are not up to date`;

export interface GenerateIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function runGenerate(args: readonly string[], io: GenerateIo, root: string = repoRoot): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    io.err(`unknown option ${unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  let files: ReturnType<typeof generatedFiles>;
  try {
    files = generatedFiles(root);
  } catch (error) {
    io.err((error as Error).message);
    return 1;
  }
  const stale = staleFiles(root, files);
  if (args.includes('--check')) {
    if (stale.length === 0) return 0;
    io.err(`Not up to date (${REGENERATE}):\n${stale.map((path) => `  ${path}`).join('\n')}`);
    return 1;
  }
  for (const file of files) {
    if (stale.includes(file.path)) writeFileSync(join(root, file.path), file.text);
  }
  io.out(
    stale.length === 0
      ? `All ${files.length} generated files are up to date.`
      : `Wrote ${stale.map((path) => path).join(', ')}.`,
  );
  return 0;
}
