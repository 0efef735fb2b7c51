/**
 * Where the unsubscribe-link signing key comes from. On AWS: a Secrets Manager secret the stack
 * generates (`UNSUBSCRIBE_KEY_SECRET_ARN`), read once per container and kept in memory; it never
 * appears in a template, an environment variable or a log. Locally: the public development key.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LOCAL_UNSUBSCRIBE_KEY, type UnsubscribeKeySource } from '#core/unsubscribe-token.ts';
import { cachedSecretsManagerKey } from './secrets-manager-key.ts';

/** The local runtime's and the tests' key source. */
export const localUnsubscribeKey: UnsubscribeKeySource = async () => LOCAL_UNSUBSCRIBE_KEY;

/** Returns a key source that reads the unsubscribe key secret once per container. */
export function secretsManagerUnsubscribeKey(
  secretId: string,
  client?: Pick<SecretsManagerClient, 'send'>,
): UnsubscribeKeySource {
  return cachedSecretsManagerKey(secretId, 'unsubscribe key', client);
}
