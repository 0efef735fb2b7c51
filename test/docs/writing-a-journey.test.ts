/**
 * The guide `docs/writing-a-journey.md`, followed literally: in a copy of the repository, its commands run
 * and its files are written in the order it gives them, ending with its end-to-end test. Then the copy's
 * `git status` must show only the files the guide names: a new subject type and its journey take one
 * subject module, one journey definition, templates and one test (plus what `generate` writes).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { generatedFiles } from '#infra/journeys/generated-files.ts';
import {
  changedFilesOf,
  copyOfRepository,
  type GuideStep,
  guideStepsOf,
  run,
  writeGuideFile,
} from './guide-steps.ts';

const GUIDE = 'docs/writing-a-journey.md';
const E2E_COMMAND = 'npx vitest run test/e2e/contract-renewal.test.ts';

const guide = readFileSync(GUIDE, 'utf8');
const steps = guideStepsOf(guide);
let copy: ReturnType<typeof copyOfRepository> | undefined;
let changed: string[] = [];
const outcomes: Array<{ step: GuideStep; status: number; output: string }> = [];

beforeAll(() => {
  copy = copyOfRepository(repoRoot);
  for (const step of steps) {
    if (step.kind === 'file') {
      writeGuideFile(copy.dir, step.path, step.content);
      continue;
    }
    const outcome = run(step.command, copy.dir);
    outcomes.push({ step, ...outcome });
    // The steps build on each other: after a failing one, the rest would only add noise.
    if (outcome.status !== 0) break;
  }
  const status = run('git status --porcelain --untracked-files=all', copy.dir);
  if (status.status !== 0) throw new Error(`git status in the copy: ${status.output}`);
  changed = status.output
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}, 900_000);

afterAll(() => copy?.remove());

const label = (step: GuideStep) =>
  `${GUIDE}:${step.line}: ${step.kind === 'command' ? step.command : `file ${step.path}`}`;

describe(`${GUIDE}, followed literally in a copy of the repository`, () => {
  it('scaffolds the subject type and the journey with `klantreis new` and ends with their end-to-end test', () => {
    const commands = steps.flatMap((s) => (s.kind === 'command' ? [s.command] : []));
    expect(commands.filter((c) => c.startsWith('npx klantreis new subject contract'))).toHaveLength(1);
    expect(commands).toContain('npx klantreis new journey contract-renewal --subject contract');
    expect(commands.at(-1)).toBe(E2E_COMMAND);
  });

  it('runs every command of the guide successfully', () => {
    const failed = outcomes.find((o) => o.status !== 0);
    expect(failed && `${label(failed.step)} exited ${failed.status}:\n${failed.output}`).toBeUndefined();
    expect(outcomes.map((o) => o.step)).toEqual(steps.filter((s) => s.kind === 'command'));
  });

  it('ends with the new journey’s end-to-end test passing, every test of it run', () => {
    const e2e = outcomes.findLast((o) => o.step.kind === 'command' && o.step.command === E2E_COMMAND);
    expect(e2e?.status, e2e?.output).toBe(0);
    expect(e2e?.output).toMatch(/Test Files\s+1 passed \(1\)/);
    expect(e2e?.output).toMatch(/Tests\s+\d+ passed \(\d+\)/);
    expect(e2e?.output).not.toMatch(/skipped|todo|failed/i);
  });

  it('changes only the files the guide names', () => {
    const named = changedFilesOf(guide);
    const covers = (entry: string, path: string) =>
      entry.endsWith('/') ? path.startsWith(entry) : path === entry;
    expect(changed.filter((path) => !named.some((entry) => covers(entry, path)))).toEqual([]);
    expect(named.filter((entry) => !changed.some((path) => covers(entry, path)))).toEqual([]);
    const written = steps.flatMap((s) => (s.kind === 'file' ? [s.path] : []));
    expect(written.filter((path) => !named.some((entry) => covers(entry, path)))).toEqual([]);
  });

  it('names one subject module, one journey definition, templates, one test, and what generate writes', () => {
    const named = changedFilesOf(guide);
    const generated = new Set(generatedFiles(copy?.dir ?? '.').map((file) => file.path));
    const kinds = Object.groupBy(named, (path) => {
      if (generated.has(path)) return 'generated';
      if (/^functions\/subjects\/[a-z0-9]+\.ts$/.test(path)) return 'subject module';
      if (/^statemachines\/[a-z0-9-]+\.journey\.json$/.test(path)) return 'journey definition';
      if (/^templates\/[a-z0-9-]+\/$/.test(path)) return 'templates';
      if (/^test\/e2e\/[a-z0-9-]+\.test\.ts$/.test(path)) return 'test';
      return `something else: ${path}`;
    });
    expect(Object.keys(kinds).sort()).toEqual([
      'generated',
      'journey definition',
      'subject module',
      'templates',
      'test',
    ]);
    expect(kinds['subject module']).toEqual(['functions/subjects/contract.ts']);
    expect(kinds['journey definition']).toEqual(['statemachines/contract-renewal.journey.json']);
    expect(kinds.test).toEqual(['test/e2e/contract-renewal.test.ts']);
  });

  it('leaves every changed file as `npm run lint` and `npm run typecheck` want it', () => {
    const files = changed.filter((path) => /\.(ts|json)$/.test(path));
    const lint = run(`npx biome check ${files.join(' ')}`, copy?.dir ?? '.');
    expect(lint.status, lint.output).toBe(0);
    const typecheck = run('npx tsc --noEmit -p tsconfig.json', copy?.dir ?? '.');
    expect(typecheck.status, typecheck.output).toBe(0);
  }, 300_000); // A whole-project typecheck takes a minute on a busy two-core machine.
});
