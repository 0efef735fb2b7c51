/**
 * Writes a benchmark's tables into its place in a docs page, so the figures in the docs are the ones a
 * command measured and never copied by hand. A page declares each place with a pair of markers:
 *
 *   <!-- generated: cost (npm run bench:cost -- --docs) -->
 *   …replaced on every run…
 *   <!-- end generated: cost -->
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '#infra/constructs/repo-root.ts';

export const PERFORMANCE_PAGE = join(repoRoot, 'docs', 'performance.md');

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Returns `page` with the generated section `name` holding `body`; throws when the page has no such section. */
export function withGeneratedSection(page: string, name: string, body: string): string {
  const section = new RegExp(
    `(<!-- generated: ${escaped(name)}(?: [^\\n]*)? -->)[\\s\\S]*?(<!-- end generated: ${escaped(name)} -->)`,
  );
  if (!section.test(page)) throw new Error(`the page has no generated section "${name}"`);
  return page.replace(
    section,
    (_match, begin: string, end: string) => `${begin}\n\n${body.trim()}\n\n${end}`,
  );
}

/** Rewrites the generated section `name` of a docs page (default docs/performance.md), laid out as `npm run lint` expects. */
export async function writeGeneratedSection(
  name: string,
  body: string,
  file = PERFORMANCE_PAGE,
): Promise<void> {
  await writeFile(file, withGeneratedSection(await readFile(file, 'utf8'), name, body));
  spawnSync(join(repoRoot, 'node_modules', '.bin', 'biome'), ['format', '--write', file], { cwd: repoRoot });
  console.error(`wrote the "${name}" section of ${file}`);
}
