/**
 * The stage's pseudonym key: the HMAC key of the table's keys that must outlive an erasure
 * (suppression entries, erasure records), so they identify an address or a customer without
 * holding it, and a guessed phone number or address cannot be tested against them without the key.
 * On AWS: a Secrets Manager secret the stack generates per stage (`PSEUDONYM_KEY_SECRET_ARN`), read
 * once per container and kept in memory. Locally: a fixed development key per stage
 * (`pseudonym-key-source.ts`).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { readEnv } from '#shared/env.ts';
import { tracer } from '#shared/powertools.ts';
import type { PseudonymKeySource } from './pseudonym-key-source.ts';

/**
 * Returns a key source that reads the secret on first use and keeps it for the life of the
 * container; a failed read is retried on the next call instead of being cached.
 */
export function secretsManagerPseudonymKey(
  secretId: string,
  client: Pick<SecretsManagerClient, 'send'> = tracer.captureAWSv3Client(new SecretsManagerClient({})),
): PseudonymKeySource {
  let key: Promise<string> | undefined;
  const read = async (): Promise<string> => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const value = result.SecretString?.trim();
    if (!value || value.length < 32) throw new Error('pseudonym key secret is empty or too short');
    return value;
  };
  return () => {
    key ??= read().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };
}

/** The deployed key source: the secret the stack grants the function (`PSEUDONYM_KEY_SECRET_ARN`). */
export function pseudonymKeyFromEnv(): PseudonymKeySource {
  const env = readEnv({ PSEUDONYM_KEY_SECRET_ARN: z.string().check(z.minLength(1)) });
  return secretsManagerPseudonymKey(env.PSEUDONYM_KEY_SECRET_ARN);
}
