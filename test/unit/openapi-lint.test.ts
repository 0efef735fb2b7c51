/**
 * The generated OpenAPI document passes Redocly's recommended ruleset with no problem at all, errors
 * and warnings alike: the CLI runs on the very document the local API serves and `npm run openapi` writes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRoutedHandlers, openApiDocument } from '#infra/openapi.ts';

const require = createRequire(import.meta.url);
const redoclyCli = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

const folder = await mkdtemp(join(tmpdir(), 'klantreis-openapi-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{
    ruleId: string;
    severity: string;
    message: string;
    location: Array<{ pointer: string }>;
  }>;
}

/**
 * A redirect route answers 302 and never 2XX (`GET /s/{code}`, a short link): the ruleset asks every
 * operation for a 2XX, so that one rule is waived on exactly the operations whose success is a redirect.
 */
const redirectOnly = (problem: LintReport['problems'][number]) =>
  problem.ruleId === 'operation-2xx-response' &&
  problem.location.every((l) => l.pointer === '#/paths/~1s~1{code}/get/responses');

describe('OpenAPI document: Redocly lint', () => {
  it('has zero problems under the recommended ruleset', async () => {
    const file = join(folder, 'openapi.json');
    await writeFile(file, JSON.stringify(openApiDocument(await loadRoutedHandlers()), null, 2));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [redoclyCli, 'lint', file, '--extends', 'recommended', '--format', 'json'],
      {
        // Offline and quiet: no usage data, no update check.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.filter((p) => !redirectOnly(p));
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: report.problems.length - problems.length });
  });
});
