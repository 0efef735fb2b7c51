import { describe, expect, it } from 'vitest';
import { runMigrateSuppressions, type SuppressionMigrator } from '#infra/cli/migrate-suppressions.ts';

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stages: string[] = [];
  const migrator: SuppressionMigrator = (stage) => {
    stages.push(`${stage.name}@${stage.region}`);
    return { migrateLegacySuppressions: async () => ({ migrated: 12, keyed: 30 }) };
  };
  return runMigrateSuppressions(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, migrator).then(
    (code) => ({ code, out, err, stages }),
  );
}

describe('klantreis migrate-suppressions', () => {
  it('migrates the named stage’s table and says how many entries it converted', async () => {
    const { code, out, stages } = await run(['--stage', 'prod']);
    expect(code).toBe(0);
    expect(stages).toEqual([expect.stringMatching(/^prod@/)]);
    expect(out).toEqual(['prod: 12 suppression entries migrated to keyed hashes; 30 already keyed.']);
  });

  it('refuses to run without a known stage, touching nothing', async () => {
    for (const argv of [[], ['--stage', 'nope'], ['--table', 'x']]) {
      const { code, err, stages } = await run(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.join('\n')).not.toBe('');
      expect(stages).toEqual([]);
    }
  });
});
