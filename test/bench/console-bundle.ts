/**
 * The console's first load: builds the web app (`npm run console:build`'s Vite config) and sums what
 * a browser fetches before the first page shows — index.html, the entry chunk, the chunks it
 * imports statically and their CSS — gzipped. Pages, charts and team views load later and are listed
 * apart. `node test/bench/console-bundle.ts` prints it; `npm run bench` includes it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '#infra/constructs/repo-root.ts';

/** The budget for the first load, gzipped. */
export const CONSOLE_INITIAL_BUDGET_KB = 250;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface ConsoleBundle {
  /** Files of the first load, with their gzipped KB. */
  initial: { file: string; gzipKb: number }[];
  initialGzipKb: number;
  /** Every chunk loaded later, gzipped KB in total. */
  lazyGzipKb: number;
  /** The built index.html, to check what it carries. */
  indexHtml: string;
  files: string[];
}

const gzipKb = (path: string) => Math.round((gzipSync(readFileSync(path)).length / 1024) * 10) / 10;

/** Reads a built `dist/console`-like folder. */
export function measureConsoleBundle(outDir: string): ConsoleBundle {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('the console build has no entry chunk');
  const initialKeys = new Set<string>();
  const visit = (key: string) => {
    if (initialKeys.has(key)) return;
    initialKeys.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entry[0]);
  const initialFiles = new Set<string>(['index.html']);
  for (const key of initialKeys) {
    const chunk = manifest[key];
    if (!chunk) continue;
    initialFiles.add(chunk.file);
    for (const css of chunk.css ?? []) initialFiles.add(css);
  }
  const initial = [...initialFiles].map((file) => ({ file, gzipKb: gzipKb(join(outDir, file)) }));
  const lazyFiles = new Set<string>();
  for (const chunk of Object.values(manifest)) {
    for (const file of [chunk.file, ...(chunk.css ?? [])]) if (!initialFiles.has(file)) lazyFiles.add(file);
  }
  const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 10) / 10;
  return {
    initial,
    initialGzipKb: sum(initial.map((f) => f.gzipKb)),
    lazyGzipKb: sum([...lazyFiles].map((file) => gzipKb(join(outDir, file)))),
    indexHtml: readFileSync(join(outDir, 'index.html'), 'utf8'),
    files: Object.values(manifest).flatMap((chunk) => [chunk.file, ...(chunk.css ?? [])]),
  };
}

/** Builds the console for production into `outDir` (as `npm run console:build` does into `dist/console`). */
export function buildConsole(outDir: string): void {
  const built = spawnSync(
    'npx',
    // Each build has its own folder, so test files may build side by side: Vite's one-build lock is for one outDir.
    [
      'vite',
      'build',
      '--config',
      'infra/console/vite.config.ts',
      '--outDir',
      outDir,
      '--logLevel',
      'warn',
      '--bypass-lock',
    ],
    // A test runner's NODE_ENV=test would build Preact's development helpers in.
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (built.status !== 0) throw new Error(`console build failed:\n${built.stdout}\n${built.stderr}`);
}

/** Builds the console into a temporary folder and measures it. */
export function buildAndMeasureConsole(): ConsoleBundle {
  const outDir = mkdtempSync(join(tmpdir(), 'klantreis-console-'));
  try {
    buildConsole(outDir);
    return measureConsoleBundle(outDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function consoleBundleMarkdown(bundle: ConsoleBundle): string {
  return [
    `| Console first load (npm run console:build), gzipped | KB (target ≤ ${CONSOLE_INITIAL_BUDGET_KB}) |`,
    '|---|---:|',
    ...bundle.initial.map((f) => `| ${f.file} | ${f.gzipKb} |`),
    `| first load in total | ${bundle.initialGzipKb}${bundle.initialGzipKb > CONSOLE_INITIAL_BUDGET_KB ? ' ✗' : ''} |`,
    `| pages loaded when opened, in total | ${bundle.lazyGzipKb} |`,
  ].join('\n');
}

if (import.meta.main) console.log(consoleBundleMarkdown(buildAndMeasureConsole()));
