/**
 * The holiday table and the phone metadata ship as files beside a Lambda bundle: a bundle built
 * with the stack's esbuild settings holds neither, reads both from `data/` beside itself, and
 * decides as the sources do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holidayCalendarFor } from '#adapters/holiday-table.ts';
import { isMobileNumber } from '#adapters/mobile-number-table.ts';
import { smsPhoneProblem } from '#core/reachability.ts';
import { copyDataFiles } from '#infra/constructs/copy-data-files.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '#infra/constructs/node-function.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const PROBE = `
import { countryTables } from '#adapters/country-tables.ts';
import { smsPhoneProblem } from '#core/reachability.ts';
console.log(JSON.stringify({
  mobile: smsPhoneProblem('+31612345678', countryTables.isMobileNumber),
  landline: smsPhoneProblem('+31201234567', countryTables.isMobileNumber),
  kingsDay: countryTables.holidayCalendarFor('NL')?.publicHolidayOn('2027-04-27') ?? null,
}));
`;

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'klantreis-data-files-'));
  const entry = join(repoRoot, '.local', `data-files-probe-${process.pid}.ts`);
  writeFileSync(entry, PROBE);
  bundle = join(dir, 'index.mjs');
  try {
    await build({
      entryPoints: [entry],
      outfile: bundle,
      ...LAMBDA_ESBUILD_OPTIONS,
    });
  } finally {
    rmSync(entry, { force: true });
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = () => spawnSync(process.execPath, [bundle], { cwd: dir, encoding: 'utf8' });

describe('data files beside the bundle', () => {
  it('a bundle without its data folder fails at init: the tables are not inside the JS', () => {
    const result = run();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ENOENT');
  });

  it('a bundle reads them from data/ beside itself and decides as the sources do', () => {
    copyDataFiles(dir);
    const result = run();
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      mobile: smsPhoneProblem('+31612345678', isMobileNumber),
      landline: smsPhoneProblem('+31201234567', isMobileNumber),
      kingsDay: holidayCalendarFor('NL')?.publicHolidayOn('2027-04-27') ?? null,
    });
    expect(smsPhoneProblem('+31612345678', isMobileNumber)).toBeNull();
    expect(smsPhoneProblem('+31201234567', isMobileNumber)).not.toBeNull();
  });
});
