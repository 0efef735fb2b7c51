#!/usr/bin/env node
/**
 * The `klantreis` command (package.json `bin`): `npx klantreis simulate …` in this repository,
 * or `npm run simulate -- …`. Node ≥ 23.6 runs this TypeScript file directly (type stripping).
 */
import { repoRoot } from '../constructs/repo-root.ts';

// Each command is loaded only when run: `generate` must work while the files it writes are missing or stale.
const COMMANDS =
  'Commands:\n' +
  '  generate               write the journeys’ ASL and the catalog from their definitions (klantreis generate --help)\n' +
  '  simulate               plan a journey for customers without sending (klantreis simulate --help)\n' +
  '  new                    a new subject type or journey to start from (klantreis new --help)\n' +
  '  results                a journey’s funnel, experiment arms and cost per goal (klantreis results --help)\n' +
  '  migrate-suppressions   re-key a stage’s suppression entries by HMAC (klantreis migrate-suppressions --stage <name>)';

const [command, ...rest] = process.argv.slice(2);
const io = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  err: (text: string) => process.stderr.write(`${text}\n`),
  now: () => new Date(),
};

if (command === 'generate') {
  const { runGenerate } = await import('./generate.ts');
  process.exitCode = runGenerate(rest, io);
} else if (command === 'simulate') {
  const { runSimulate } = await import('./simulate.ts');
  process.exitCode = runSimulate(rest, io);
} else if (command === 'new') {
  const { runNew } = await import('./new.ts');
  process.exitCode = await runNew(rest, io, repoRoot);
} else if (command === 'results') {
  const { runResults } = await import('./results.ts');
  process.exitCode = await runResults(rest, io);
} else if (command === 'migrate-suppressions') {
  // Loaded only for this command: it brings the AWS clients along.
  const { runMigrateSuppressions } = await import('./migrate-suppressions.ts');
  process.exitCode = await runMigrateSuppressions(rest, io);
} else if (command === undefined || command === '--help' || command === '-h') {
  io.out(`Usage: klantreis <command>\n\n${COMMANDS}`);
} else {
  io.err(`unknown command ${command}\n\n${COMMANDS}`);
  process.exitCode = 2;
}
