import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNewSubject } from '#infra/cli/new-subject.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { subjectModules } from '#subjects/all.ts';
import { SubjectRegistry } from '#subjects/registry.ts';
import type { SubjectTypeSpec } from '#subjects/subject-type.ts';

let root: string;
let out: string[];
let err: string[];
const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
const newSubject = (...args: string[]) => runNewSubject(args, io, root);

beforeEach(() => {
  // Inside the repository (git-ignored .local/), so the written module resolves zod like any subject module.
  mkdirSync(join(repoRoot, '.local'), { recursive: true });
  root = mkdtempSync(join(repoRoot, '.local', 'new-subject-'));
  cpSync(join(repoRoot, 'functions/subjects'), join(root, 'functions/subjects'), { recursive: true });
  for (const file of ['biome.json', '.gitignore']) cpSync(join(repoRoot, file), join(root, file));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  out = [];
  err = [];
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('klantreis new subject', () => {
  it('writes a module the registry takes beside the shipped ones: its events, goal, date, link and sample', async () => {
    expect(newSubject('contract', '--goal', 'renewed'), err.join('\n')).toBe(0);
    expect(out[0]).toBe('wrote functions/subjects/contract.ts');
    expect(out[1]).toMatch(/npx klantreis new journey <id> --subject contract$/);
    const module = (await import(join(root, 'functions/subjects/contract.ts'))) as {
      default: SubjectTypeSpec;
    };
    const registry = new SubjectRegistry([...subjectModules, module.default]);
    const spec = registry.spec('contract');
    expect(spec?.goalStatuses).toEqual(['renewed']);
    expect(registry.event('contract.created')?.event.status).toBe('open');
    expect(registry.exitEventTypes).toContain('contract.renewed');
    const sample = spec?.sample({ id: 'c-1', now: new Date('2026-12-01T09:00:00Z') });
    expect(registry.schema.safeParse(sample).success).toBe(true);
    expect(registry.linksOf(registry.schema.parse(sample))).toEqual({
      details: 'https://portal.example.com/contracts/c-1',
    });
    expect(registry.datesOf(registry.schema.parse(sample))).toEqual({ validUntil: '2027-01-30' });
    expect(registry.goalReachedReason({ type: 'contract' }, { status: 'renewed' })).toMatch(/renewed/);
  });

  it('refuses a type that exists, a file of the registry, a name that is not one word, and a bad goal', () => {
    expect(newSubject('invoice')).toBe(2);
    expect(err.at(-1)).toBe('subject type "invoice" exists already: functions/subjects/invoice.ts');
    expect(newSubject('registry')).toBe(2);
    expect(err.at(-1)).toBe('"registry" is a file of the subject registry, not a subject type');
    expect(newSubject('energy-contract')).toBe(2);
    expect(err.at(-1)).toMatch(/must be one lower-case word/);
    expect(newSubject('contract', '--goal', 'open')).toBe(2);
    expect(err.at(-1)).toMatch(/--goal cannot be "open"/);
    expect(newSubject('contract', '--goal')).toBe(2);
    expect(err.at(-1)).toMatch(/--goal takes a status/);
    expect(existsSync(join(root, 'functions/subjects/contract.ts'))).toBe(false);
  });

  it('names the goal "done" unless told', () => {
    expect(newSubject('lease')).toBe(0);
    const source = readFileSync(join(root, 'functions/subjects/lease.ts'), 'utf8');
    expect(source).toContain("goalStatuses: ['done']");
    expect(source).toContain("'lease.done': {");
  });
});
