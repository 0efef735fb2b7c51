/**
 * The stage's pseudonym key: the HMAC key of the table's keys that must outlive an erasure
 * (suppression entries, erasure records), so they identify an address or a customer without
 * holding it, and a guessed phone number or address cannot be tested against them without the key.
 * On AWS: a Secrets Manager secret the stack generates per stage (`PSEUDONYM_KEY_SECRET_ARN`), read
 * once per container and kept in memory. Locally: a fixed development key per stage
 * (`pseudonym-key-source.ts`).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import type { PseudonymKeySource } from './pseudonym-key-source.ts';
import { cachedSecretsManagerKey } from './secrets-manager-key.ts';

/** Returns a key source that reads the pseudonym key secret once per container. */
export function secretsManagerPseudonymKey(
  secretId: string,
  client?: Pick<SecretsManagerClient, 'send'>,
): PseudonymKeySource {
  return cachedSecretsManagerKey(secretId, 'pseudonym key', client);
}

/** The deployed key source: the secret the stack grants the function (`PSEUDONYM_KEY_SECRET_ARN`). */
export function pseudonymKeyFromEnv(): PseudonymKeySource {
  const env = readEnv({ PSEUDONYM_KEY_SECRET_ARN: z.string().check(z.minLength(1)) });
  return secretsManagerPseudonymKey(env.PSEUDONYM_KEY_SECRET_ARN);
}
