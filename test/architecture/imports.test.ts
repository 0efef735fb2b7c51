/**
 * The arrows between the layers (docs/architecture.md), read from the imports themselves: each layer
 * imports only itself and the layers below it (core, subjects, catalog, adapters, application,
 * handlers); the pure core imports only a few pure npm packages; nothing Lambda code bundles imports
 * infra/; no import cycles.
 */
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { type ImportEdge, importCycles, scanImports } from './import-graph.ts';

const graph = scanImports(repoRoot, ['functions', 'infra', 'test', 'templates']);

/** Files under one folder, each with the imports the predicate flags, as `file -> import` lines. */
function offending(folder: string, flags: (edge: ImportEdge) => boolean): string[] {
  return [...graph]
    .filter(([file]) => file.startsWith(`${folder}/`))
    .flatMap(([file, edges]) =>
      edges.filter(flags).map((edge) => `${file} -> ${edge.file ?? edge.packageName}`),
    );
}

const inFolder = (edge: ImportEdge, ...folders: string[]) =>
  edge.file !== undefined && folders.some((folder) => edge.file?.startsWith(`${folder}/`));

/**
 * The layers under `functions/`, lowest first: a module imports its own layer and the ones below it,
 * never one above (docs/architecture.md draws them).
 */
const LAYERS = [
  'functions/core',
  'functions/subjects',
  'functions/catalog',
  'functions/adapters',
  'functions/application',
  'functions/handlers',
];

/** The layer of a repository file, as its index in LAYERS; -1 outside them. */
const layerOf = (file: string) => LAYERS.findIndex((layer) => file.startsWith(`${layer}/`));

/** Pure npm packages the core may use: no I/O, no clock, no AWS. */
const CORE_PACKAGES = new Set([
  'zod',
  'node:crypto',
  '@stdlib/stats-base-dists-normal-cdf',
  '@stdlib/stats-base-dists-normal-quantile',
]);

describe('the import graph', () => {
  it('is read from the sources: the scanner resolves aliases, relative paths and packages', () => {
    const step = graph.get('functions/handlers/run-journey-step.ts') ?? [];
    expect(step.length).toBeGreaterThan(5);
    expect(step.some((edge) => edge.file?.startsWith('functions/application/'))).toBe(true);
    expect(step.some((edge) => edge.packageName === 'aws-lambda')).toBe(true);
    // Every Lambda module an import names is one the scanner read: no rule misses a file it resolved wrongly.
    const named = [...graph.values()].flat().filter((edge) => edge.file?.startsWith('functions/'));
    expect(named.length).toBeGreaterThan(100);
    for (const edge of named)
      if (edge.file?.endsWith('.ts')) expect(graph.has(edge.file), edge.file).toBe(true);
  });

  it('finds a cycle where there is one', () => {
    const cycle = new Map([
      ['a.ts', [{ specifier: './b.ts', file: 'b.ts' }]],
      ['b.ts', [{ specifier: './c.ts', file: 'c.ts' }]],
      ['c.ts', [{ specifier: './a.ts', file: 'a.ts' }]],
      ['d.ts', [{ specifier: './a.ts', file: 'a.ts' }]],
    ]);
    expect(importCycles(cycle)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});

describe('the layers', () => {
  it('the core imports only the core and pure packages', () => {
    expect(
      offending(
        'functions/core',
        (edge) =>
          (edge.file !== undefined && !inFolder(edge, 'functions/core')) ||
          (edge.packageName !== undefined && !CORE_PACKAGES.has(edge.packageName)),
      ),
    ).toEqual([]);
  });

  it('core modules import the port file they use, not the index of every port', () => {
    expect(offending('functions/core', (edge) => edge.file === 'functions/core/ports.ts')).toEqual([]);
  });

  it('each layer imports only itself and the layers below it', () => {
    const upward = LAYERS.flatMap((layer, rank) =>
      offending(layer, (edge) => edge.file !== undefined && layerOf(edge.file) > rank),
    );
    expect(upward).toEqual([]);
  });

  it('a handler imports no other handler: each is an entry point of its own bundle', () => {
    expect(offending('functions/handlers', (edge) => inFolder(edge, 'functions/handlers'))).toEqual([]);
  });

  it('no Lambda code imports infra/', () => {
    expect(offending('functions', (edge) => inFolder(edge, 'infra'))).toEqual([]);
  });

  it('no module imports itself back, directly or through others', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});
