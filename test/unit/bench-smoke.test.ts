/**
 * The benchmark script still starts and reports: a tiny run (a few hundred decisions, a hundred
 * renders, one bundle with one cold-start process each) into a temporary folder. The figures
 * themselves are measured by `npm run bench`, never here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const out = mkdtempSync(join(tmpdir(), 'klantreis-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench (smoke)', () => {
  it('writes a JSON and a Markdown report with sizes, cold start, decisions and renders', () => {
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'test/bench/run.ts'),
        '--customers=300',
        '--renders=50',
        '--cold-start-processes=1',
        '--only=get-run',
        '--cost-customers=0',
        '--sms-customers=2',
        `--out=${out}`,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    expect(report.sizes).toHaveLength(1);
    expect(report.sizes[0]).toMatchObject({ handler: 'get-run' });
    expect(report.sizes[0].minifiedKb).toBeGreaterThan(1);
    expect(report.sizes[0].initMs).toBeGreaterThan(0);
    expect(report.sizes[0].baselineMs).toBeGreaterThan(0);
    expect(report.decisions.median).toBeGreaterThan(0);
    expect(report.renders.email.median).toBeGreaterThan(0);
    const markdown = readFileSync(join(out, 'latest.md'), 'utf8');
    expect(markdown).toContain('| get-run |');
    expect(markdown).toContain('decisions per second');
  });
});
