/**
 * The arrows between the layers (docs/architecture.md), read from the imports themselves: the pure
 * core imports only the core and a few pure npm packages; nothing Lambda code bundles imports infra/;
 * adapters never import handlers; catalog and subjects stay below the application; no import cycles.
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
 * The arrows between the application and the adapters that run both ways (the dotted ones in
 * docs/architecture.md): the application reads the data tables adapters load and wires the feedback
 * handlers' adapters; SDK clients and wiring use the Powertools instances and the environment reader.
 * Any other import between the two is a new arrow back up.
 */
const APPLICATION_TO_ADAPTERS = new Set([
  'functions/adapters/country-tables.ts',
  'functions/adapters/holiday-table.ts',
  'functions/adapters/data-file.ts',
  'functions/adapters/provider-errors.ts',
  'functions/adapters/dynamo/repository.ts',
  'functions/adapters/eventbridge-client.ts',
  'functions/adapters/eventbridge-hand-over.ts',
  'functions/adapters/system-clock.ts',
]);
const ADAPTERS_TO_APPLICATION = new Set([
  'functions/application/powertools.ts',
  'functions/application/env.ts',
]);

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
    for (const edges of graph.values()) {
      for (const edge of edges)
        if (edge.file?.endsWith('.ts')) expect(graph.has(edge.file), edge.file).toBe(true);
    }
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

  it('subject types import only the core and each other', () => {
    expect(
      offending(
        'functions/subjects',
        (edge) => edge.file !== undefined && !inFolder(edge, 'functions/core', 'functions/subjects'),
      ),
    ).toEqual([]);
  });

  it('the catalog imports only the core, the subject types and itself', () => {
    expect(
      offending(
        'functions/catalog',
        (edge) =>
          edge.file !== undefined &&
          !inFolder(edge, 'functions/core', 'functions/subjects', 'functions/catalog'),
      ),
    ).toEqual([]);
  });

  it('no Lambda code imports infra/', () => {
    expect(offending('functions', (edge) => inFolder(edge, 'infra'))).toEqual([]);
  });

  it('adapters and the application never import handlers', () => {
    expect(offending('functions/adapters', (edge) => inFolder(edge, 'functions/handlers'))).toEqual([]);
    expect(offending('functions/application', (edge) => inFolder(edge, 'functions/handlers'))).toEqual([]);
  });

  it('the application and the adapters import each other only where the architecture says', () => {
    expect(
      offending(
        'functions/application',
        (edge) => inFolder(edge, 'functions/adapters') && !APPLICATION_TO_ADAPTERS.has(edge.file ?? ''),
      ),
    ).toEqual([]);
    expect(
      offending(
        'functions/adapters',
        (edge) => inFolder(edge, 'functions/application') && !ADAPTERS_TO_APPLICATION.has(edge.file ?? ''),
      ),
    ).toEqual([]);
  });

  it('no module imports itself back, directly or through others', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});
