/**
 * `npm start`: generates the journeys, compiles the templates, builds the console, then runs the local
 * stack (`main.ts`, arguments passed on), one step after another. Each step runs in its own process
 * group, and a signal that stops this launcher (SIGINT, SIGTERM, SIGHUP) goes to the whole group of the
 * running step, so nothing outlives `npm start`: a shell chain (`a && b`) leaves its running step behind
 * when npm is stopped by its process id, since npm passes the signal to its shell only. The script `exec`s
 * this launcher, so npm's shell is this process. Exits with the failing step's code, or 128 + the
 * signal's number.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { repoRoot } from '../constructs/repo-root.ts';

const node = process.execPath;
const steps: ReadonlyArray<readonly [string, ...string[]]> = [
  [node, 'infra/cli/klantreis.ts', 'generate'],
  [node, 'infra/content/compile-templates.ts'],
  ['npm', 'run', 'console:build', '--if-present'],
  [node, 'infra/local/main.ts', ...process.argv.slice(2)],
];
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long a step may take to stop before its group is killed. */
const STOP_GRACE_MS = 10_000;

let running: ChildProcess | undefined;
let stopping: NodeJS.Signals | undefined;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = signal;
  const child = running;
  if (!child) return;
  signalGroup(child, signal);
  setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS).unref();
}

for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
// When npm ends without passing a signal on (SIGKILL), this process gets another parent: it stops as if
// it had been told to.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM');
}, 250).unref();

function run([command, ...args]: readonly [string, ...string[]]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      detached: true,
      // A step in another process group may not read the terminal; none of them reads its input.
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    running = child;
    child.on('error', (error) => {
      console.error(`npm start: ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      running = undefined;
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

for (const step of steps) {
  if (stopping) break;
  const code = await run(step);
  if (code !== 0 && !stopping) process.exit(code);
}
process.exit(stopping ? 128 + constants.signals[stopping] : 0);
