/**
 * A signing or hashing key kept in a Secrets Manager secret, read once per container and kept in
 * memory, so a warm function does not pay a Secrets Manager call per request.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tracer } from '#adapters/powertools.ts';

/**
 * Returns a key source that reads the secret on first use and keeps it for the life of the
 * container; a failed read is retried on the next call instead of being cached. `keyName` names the
 * key in the error a missing or short (< 32 characters) secret raises.
 */
export function cachedSecretsManagerKey(
  secretId: string,
  keyName: string,
  client: Pick<SecretsManagerClient, 'send'> = tracer.captureAWSv3Client(new SecretsManagerClient({})),
): () => Promise<string> {
  let key: Promise<string> | undefined;
  const read = async (): Promise<string> => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const value = result.SecretString?.trim();
    if (!value || value.length < 32) throw new Error(`${keyName} secret is empty or too short`);
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
