/**
 * Copies the data files the Lambda code reads at init (`functions/adapters/data-file.ts`) into
 * `<out>/data/`: run after bundling by every function (`node-function.ts`), and by the
 * cold-start benchmark beside its bundles. `node infra/constructs/copy-data-files.ts --out <dir>`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_FILES } from '../../functions/adapters/data-file.ts';
import { repoRoot } from './repo-root.ts';

/** Copies every data file into `<outDir>/data/`; returns the paths written. */
export function copyDataFiles(outDir: string, fromRoot = repoRoot): string[] {
  const dataDir = join(outDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  return Object.entries(DATA_FILES).map(([name, source]) => {
    const target = join(dataDir, name);
    copyFileSync(join(fromRoot, source), target);
    return target;
  });
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) throw new Error('copy-data-files: --out <dir> is required');
  copyDataFiles(values.out);
}
