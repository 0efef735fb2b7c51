/**
 * `klantreis migrate-suppressions --stage <name>`: converts a stage's suppression entries still keyed
 * by the plain SHA-256 of their address to the keyed hash (HMAC under the stage's pseudonym key),
 * and deletes the plain ones. One Scan of the table, run once per stage by an operator with AWS
 * credentials that may scan and write the table and read the pseudonym key secret. Safe to repeat;
 * until it has run, lookups read both keys, so no suppression lapses meanwhile.
 */
import { parseArgs } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoSuppressionMigration } from '#adapters/dynamo/suppression-migration.ts';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { secretsManagerPseudonymKey } from '#adapters/pseudonym-key.ts';
import { resourceName } from '#catalog/catalog.ts';
import { loadStage, type StageConfig } from '../stages.ts';

export interface MigrateIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** What the command migrates with: the stage's table and key on AWS, or what a test gives. */
export type SuppressionMigrator = (
  stage: StageConfig,
) => Pick<DynamoSuppressionMigration, 'migrateLegacySuppressions'>;

/** The stage's table and pseudonym key secret, by their resource names, in the stage's region. */
export const awsMigrator: SuppressionMigrator = (stage) =>
  new DynamoSuppressionMigration(
    createDynamoDbDocumentClient({ region: stage.region }),
    resourceName(stage.name, 'table'),
    {
      pseudonymKey: secretsManagerPseudonymKey(
        resourceName(stage.name, 'pseudonym-key'),
        new SecretsManagerClient({ region: stage.region }),
      ),
    },
  );

const USAGE = 'Usage: klantreis migrate-suppressions --stage <name>';

/** Runs the command; returns the exit code. */
export async function runMigrateSuppressions(
  argv: string[],
  io: MigrateIo,
  migratorFor: SuppressionMigrator = awsMigrator,
): Promise<number> {
  let stageName: string | undefined;
  try {
    const parsed = parseArgs({
      args: argv,
      options: { stage: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (parsed.values.help) {
      io.out(USAGE);
      return 0;
    }
    stageName = parsed.values.stage;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!stageName) {
    io.err(USAGE);
    return 2;
  }
  let stage: StageConfig;
  try {
    stage = loadStage(stageName);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const { migrated, keyed } = await migratorFor(stage).migrateLegacySuppressions();
  io.out(
    `${stage.name}: ${migrated} suppression entr${migrated === 1 ? 'y' : 'ies'} migrated to keyed hashes; ${keyed} already keyed.`,
  );
  return 0;
}
