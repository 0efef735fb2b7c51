/**
 * The local SES's emails beyond the latest few, on disk. aws-ses-v2-local keeps every email it
 * receives (body and all) in one module-global array, which a run over many customers fills: past
 * `2 × EMAILS_IN_MEMORY` emails the oldest are appended to a JSON-lines file under `.local/spill/`
 * (removed when the process exits) and dropped from the array, so its web outbox and `GET /store`
 * show the latest `EMAILS_IN_MEMORY`, while `listEmails` reads the file and the array together:
 * every email, oldest first, as before.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../../constructs/repo-root.ts';

/** Emails the emulator keeps in memory after a spill: what its outbox page and `/store` show. */
export const EMAILS_IN_MEMORY = 100;

const require = createRequire(import.meta.url);
// The emulator's own store module: one array per process, shared by every instance.
const emulatorStore = require('aws-ses-v2-local/dist/store') as {
  getStoreReadonly(): { emails: unknown[] };
};

let spillFile: string | undefined;

function fileOfThisProcess(): string {
  if (!spillFile) {
    const dir = join(repoRoot, '.local', 'spill');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `ses-${process.pid}-${Date.now()}.jsonl`);
    process.once('exit', () => rmSync(file, { force: true }));
    spillFile = file;
  }
  return spillFile;
}

/**
 * Moves the oldest emails to disk once the emulator holds twice `keep`, leaving the latest `keep`;
 * cheap otherwise (each email is moved once).
 */
export function spillOldEmails(keep = EMAILS_IN_MEMORY): void {
  const store = emulatorStore.getStoreReadonly();
  if (store.emails.length < 2 * keep) return;
  const oldest = store.emails.splice(0, store.emails.length - keep);
  appendFileSync(fileOfThisProcess(), oldest.map((email) => `${JSON.stringify(email)}\n`).join(''));
}

/** Returns every email the emulator received, oldest first: those on disk, then those in memory. */
export function allStoredEmails(): unknown[] {
  const inMemory = [...emulatorStore.getStoreReadonly().emails];
  if (!spillFile || !existsSync(spillFile)) return inMemory;
  const spilled = readFileSync(spillFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
  return [...spilled, ...inMemory];
}

/** Empties the emails on disk (the emulator's `/clear-store` empties those in memory). */
export function clearSpilledEmails(): void {
  if (spillFile && existsSync(spillFile)) writeFileSync(spillFile, '');
}
