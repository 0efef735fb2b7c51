/**
 * The import graph of the repository's own TypeScript: every file under the scanned folders with the
 * specifiers it imports, each resolved to a repository file or named as an npm package.
 *
 * A scanner of its own rather than dependency-cruiser or madge: the rules the architecture test checks
 * are four short statements, the repository has one import style (ES modules with `.ts` extensions,
 * `#layer/*` aliases from package.json's `imports`), and TypeScript's own `preProcessFile` (already a dev
 * dependency) lists a file's static, type-only, re-export and dynamic imports without parsing it whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import of a file: what it wrote, and the repository file (posix path from the root) or package it names. */
export interface ImportEdge {
  specifier: string;
  /** The imported repository file, relative to the root with `/`; absent for an npm package or `node:` module. */
  file?: string;
  /** The npm package (`zod`, `@aws-sdk/client-sesv2`) or builtin (`node:fs`); absent for a repository file. */
  packageName?: string;
}

export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function listTypeScript(root: string, folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') files.push(...listTypeScript(root, path));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** package.json's `imports` as prefix pairs: `#core/` → `functions/core/`. */
function aliasesOf(root: string): [string, string][] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    imports?: Record<string, string>;
  };
  return Object.entries(manifest.imports ?? {}).map(([alias, target]) => [
    alias.replace(/\*$/, ''),
    target.replace(/^\.\//, '').replace(/\*$/, ''),
  ]);
}

function packageNameOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function resolveEdge(root: string, from: string, specifier: string, aliases: [string, string][]): ImportEdge {
  const alias = aliases.find(([prefix]) => specifier.startsWith(prefix));
  if (alias) return { specifier, file: alias[1] + specifier.slice(alias[0].length) };
  if (specifier.startsWith('.')) {
    return { specifier, file: toPosix(relative(root, resolve(root, dirname(from), specifier))) };
  }
  return { specifier, packageName: packageNameOf(specifier) };
}

/** Returns every TypeScript file under `folders` (relative to `root`) with its imports, resolved. */
export function scanImports(root: string, folders: readonly string[]): ImportGraph {
  const aliases = aliasesOf(root);
  const graph = new Map<string, ImportEdge[]>();
  for (const file of folders.flatMap((folder) => listTypeScript(root, folder))) {
    const source = readFileSync(join(root, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(source, true, true);
    graph.set(
      file,
      importedFiles.map(({ fileName }) => resolveEdge(root, file, fileName, aliases)),
    );
  }
  return graph;
}

/**
 * Returns the import cycles among the graph's files: each strongly connected component of more than
 * one file (or a file importing itself), as its files in a stable order (Tarjan's algorithm).
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;

  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const edge of graph.get(file) ?? []) {
      const target = edge.file;
      if (target === undefined || !graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = graph.get(file)?.some((edge) => edge.file === file) ?? false;
    if (component.length > 1 || selfImport) cycles.push(component.sort());
  };

  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}
