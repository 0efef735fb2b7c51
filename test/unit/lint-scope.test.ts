/**
 * `npm run lint` checks the project's folders and root configuration files, never a scratch file someone
 * left in the repository root: the repository's own biome.json, run on a folder shaped like it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const dir = mkdtempSync(join(tmpdir(), 'klantreis-lint-scope-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run lint', () => {
  it('reports a bad file in a project folder, and not one in the repository root', () => {
    copyFileSync(join(repoRoot, 'biome.json'), join(dir, 'biome.json'));
    const bad = 'var unused = 1 == 2\n';
    writeFileSync(join(dir, 'scratch.ts'), bad);
    mkdirSync(join(dir, 'functions'));
    writeFileSync(join(dir, 'functions', 'bad.ts'), bad);
    const biome = join(repoRoot, 'node_modules', '.bin', 'biome');
    const run = spawnSync(biome, ['check', '--vcs-enabled=false', '.'], { cwd: dir, encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).not.toBe(0);
    expect(output).toContain('functions/bad.ts');
    expect(output).not.toContain('scratch.ts');
  });
});
