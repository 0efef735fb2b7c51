/**
 * The guide `docs/writing-a-journey.md`, followed literally: in a copy of the repository, its commands run
 * and its files are written in the order it gives them, ending with its end-to-end test. Then the copy's
 * `git status` must show only the files the guide names: a new subject type and its journey take one
 * subject module, one journey definition, templates and one test (plus what `generate` writes).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const outcomes: Array<{ step: GuideStep; status: number; output: string }> = [];

beforeAll(() => {
  copy = copyOfRepository(process.cwd());
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
}, 900_000);

afterAll(() => copy?.remove());

const label = (step: GuideStep) =>
  `${GUIDE}:${step.line}: ${step.kind === 'command' ? step.command : `file ${step.path}`}`;

describe(`${GUIDE}, followed literally in a copy of the repository`, () => {
  it('scaffolds the subject type and the journey with `klantreis new` and ends with their end-to-end test', () => {
    const commands = steps.flatMap((s) => (s.kind === 'command' ? [s.command] : []));
    expect(commands).toContain('npx klantreis new subject contract');
    expect(commands).toContain('npx klantreis new journey contract-renewal --subject contract');
    expect(commands.at(-1)).toBe(E2E_COMMAND);
  });

  it('runs every command of the guide successfully', () => {
    const failed = outcomes.find((o) => o.status !== 0);
    expect(failed && `${label(failed.step)} exited ${failed.status}:\n${failed.output}`).toBeUndefined();
    expect(outcomes.map((o) => o.step)).toEqual(steps.filter((s) => s.kind === 'command'));
  });

  it('ends with the new journey’s end-to-end test passing, every test of it run', () => {
    const e2e = outcomes.find((o) => o.step.kind === 'command' && o.step.command === E2E_COMMAND);
    expect(e2e?.status, e2e?.output).toBe(0);
    expect(e2e?.output).toMatch(/Test Files\s+1 passed \(1\)/);
    expect(e2e?.output).toMatch(/Tests\s+\d+ passed \(\d+\)/);
    expect(e2e?.output).not.toMatch(/skipped|todo|failed/i);
  });

  it('changes only the files the guide names: one subject module, one journey definition, generated files, templates, one test', () => {
    const named = changedFilesOf(guide);
    const status = run('git status --porcelain --untracked-files=all', copy?.dir ?? '.');
    expect(status.status).toBe(0);
    const changed = status.output
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    const covers = (entry: string, path: string) =>
      entry.endsWith('/') ? path.startsWith(entry) : path === entry;
    expect(changed.filter((path) => !named.some((entry) => covers(entry, path)))).toEqual([]);
    expect(named.filter((entry) => !changed.some((path) => covers(entry, path)))).toEqual([]);
    // Every file the guide writes is one it names.
    const written = steps.flatMap((s) => (s.kind === 'file' ? [s.path] : []));
    expect(written.filter((path) => !named.some((entry) => covers(entry, path)))).toEqual([]);
  });
});
