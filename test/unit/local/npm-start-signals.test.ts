/**
 * `npm start` stopped by a signal, to npm or to the local stack's own process, leaves no process behind.
 * Runs in a copy of the repository (its own generated files, `.local/` and `dist/`), so the builds it
 * makes cannot disturb the other suites. In the slow suite: each run builds the console.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const MARK = 'KLANTREIS_NPM_START_SIGNAL_TEST';
const LEFT_OUT = new Set(['.git', 'node_modules', '.local', 'dist', 'cdk.out', 'test', 'docs', 'coverage']);
const copy = mkdtempSync(join(tmpdir(), 'klantreis-npm-start-'));
for (const entry of readdirSync(repoRoot)) {
  if (!LEFT_OUT.has(entry)) cpSync(join(repoRoot, entry), join(copy, entry), { recursive: true });
}
symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));

/** The processes (pid → command line) started for the run `id`: they carry its mark in their environment. */
function processesOf(id: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`${MARK}=${id}`)) continue;
      found.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    } catch {
      // It ended while being read.
    }
  }
  return found;
}

/** Polls until `done` holds or the bound passes (a bound on a hang, not an assertion). */
async function until(done: () => boolean, boundMs: number): Promise<void> {
  const end = Date.now() + boundMs;
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 100));
}

const runs: string[] = [];
function npmStart(id: string): { npm: ChildProcess; output: () => string; exited: Promise<unknown> } {
  runs.push(id);
  const npm = spawn('npm', ['start'], {
    cwd: copy,
    env: { ...process.env, KLANTREIS_PORT_BASE: '0', [MARK]: id },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  npm.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => npm.on('exit', resolve));
  return { npm, output: () => output, exited };
}

async function waitForOutput(run: { output: () => string }, pattern: RegExp): Promise<void> {
  await until(() => pattern.test(run.output()), 150_000);
  expect(run.output()).toMatch(pattern);
}

afterEach(() => {
  for (const id of runs.splice(0)) {
    for (const pid of processesOf(id).keys()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe.skipIf(process.platform !== 'linux')('npm start, stopped by a signal', () => {
  it('stops every process when npm gets SIGTERM while the stack serves', async () => {
    const run = npmStart('npm-term');
    await waitForOutput(run, /Serving until Ctrl-C/);
    expect([...processesOf('npm-term').values()]).toEqual(
      expect.arrayContaining([expect.stringContaining('infra/local/main.ts')]),
    );
    run.npm.kill('SIGTERM');
    await until(() => processesOf('npm-term').size === 0, 20_000);
    expect([...processesOf('npm-term').values()]).toEqual([]);
  }, 200_000);

  it('stops every process when npm gets SIGINT while the console is being built', async () => {
    const run = npmStart('npm-int');
    await until(() => [...processesOf('npm-int').values()].some((c) => c.includes('vite')), 150_000);
    expect([...processesOf('npm-int').values()]).toEqual(
      expect.arrayContaining([expect.stringContaining('vite')]),
    );
    run.npm.kill('SIGINT');
    await until(() => processesOf('npm-int').size === 0, 20_000);
    expect([...processesOf('npm-int').values()]).toEqual([]);
    // The stack never started.
    expect(run.output()).not.toMatch(/Klantreis local stack/);
  }, 200_000);

  it('ends npm start when the local stack’s process gets SIGTERM', async () => {
    const run = npmStart('main-term');
    await waitForOutput(run, /Serving until Ctrl-C/);
    // The node process itself, not a shell whose command line names it.
    const main = [...processesOf('main-term')].find(([, command]) =>
      /^\S*node infra\/local\/main\.ts/.test(command),
    );
    if (!main) throw new Error('no infra/local/main.ts process');
    process.kill(main[0], 'SIGTERM');
    await until(() => processesOf('main-term').size === 0, 20_000);
    expect([...processesOf('main-term').values()]).toEqual([]);
    expect(await run.exited).toBe(0);
  }, 200_000);
});
