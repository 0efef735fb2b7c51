/**
 * Where the unsubscribe-link signing key comes from. On AWS: a Secrets Manager secret the stack
 * generates (`UNSUBSCRIBE_KEY_SECRET_ARN`), read once per container and kept in memory; it never
 * appears in a template, an environment variable or a log. Locally: the public development key.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LOCAL_UNSUBSCRIBE_KEY, type UnsubscribeKeySource } from '#core/unsubscribe-token.ts';
import { tracer } from '#shared/powertools.ts';

/** The local runtime's and the tests' key source. */
export const localUnsubscribeKey: UnsubscribeKeySource = async () => LOCAL_UNSUBSCRIBE_KEY;

/**
 * Returns a key source that reads the secret on first use and keeps it for the life of the
 * container; a failed read is retried on the next call instead of being cached.
 */
export function secretsManagerUnsubscribeKey(
  secretId: string,
  client: Pick<SecretsManagerClient, 'send'> = tracer.captureAWSv3Client(new SecretsManagerClient({})),
): UnsubscribeKeySource {
  let key: Promise<string> | undefined;
  const read = async (): Promise<string> => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const value = result.SecretString?.trim();
    if (!value || value.length < 32) throw new Error('unsubscribe key secret is empty or too short');
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
