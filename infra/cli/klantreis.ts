#!/usr/bin/env node
/**
 * The `klantreis` command (package.json `bin`): `npx klantreis simulate …` in this repository,
 * or `npm run simulate -- …`. Node ≥ 23.6 runs this TypeScript file directly (type stripping).
 */
import { runSimulate } from './simulate.ts';

const COMMANDS =
  'Commands:\n  simulate   plan a journey for customers without sending (klantreis simulate --help)';

const [command, ...rest] = process.argv.slice(2);
const io = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  err: (text: string) => process.stderr.write(`${text}\n`),
  now: () => new Date(),
};

if (command === 'simulate') {
  process.exitCode = runSimulate(rest, io);
} else if (command === undefined || command === '--help' || command === '-h') {
  io.out(`Usage: klantreis <command>\n\n${COMMANDS}`);
} else {
  io.err(`unknown command ${command}\n\n${COMMANDS}`);
  process.exitCode = 2;
}
