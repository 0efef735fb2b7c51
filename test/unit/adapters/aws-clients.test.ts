import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const ENV_KEYS = ['KLANTREIS_DYNAMODB_ENDPOINT', 'KLANTREIS_SES_ENDPOINT', 'AWS_REGION'] as const;
const saved = new Map<string, string | undefined>();

beforeEach(() => {
  for (const key of ENV_KEYS) saved.set(key, process.env[key]);
  vi.resetModules();
});

afterEach(() => {
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** Returns the resolved endpoint URL of a client. */
async function endpointOf(client: { config: { endpoint?: unknown } }): Promise<string | undefined> {
  const provider = client.config.endpoint as
    | (() => Promise<{ hostname: string; port?: number; protocol: string }>)
    | undefined;
  if (!provider) return undefined;
  const { protocol, hostname, port } = await provider();
  return `${protocol}//${hostname}:${port}`;
}

describe('aws clients', () => {
  it('points an explicit client at the emulator with dummy credentials and a region', async () => {
    delete process.env.AWS_REGION;
    const { createSesClient, LOCAL_REGION } = await import('#adapters/aws-clients.ts');
    const client = createSesClient({ endpoint: 'http://127.0.0.1:4599' });

    expect(await endpointOf(client)).toBe('http://127.0.0.1:4599');
    expect(await client.config.region()).toBe(LOCAL_REGION);
    expect(await client.config.credentials()).toMatchObject({
      accessKeyId: 'local',
      secretAccessKey: 'local',
    });
    client.destroy();
  });

  it('reads the endpoint override from the environment on first use and reuses the client', async () => {
    process.env.KLANTREIS_DYNAMODB_ENDPOINT = 'http://127.0.0.1:4598';
    process.env.AWS_REGION = 'eu-central-1';
    const clients = await import('#adapters/aws-clients.ts');

    const client = clients.dynamoDbClient();
    expect(clients.dynamoDbClient()).toBe(client);
    expect(await endpointOf(client)).toBe('http://127.0.0.1:4598');
    expect(await client.config.region()).toBe('eu-central-1');
    expect(clients.dynamoDbDocumentClient().config).toBe(client.config);
    client.destroy();
  });

  it('leaves endpoint and credentials to the SDK when no override is set (on AWS)', async () => {
    delete process.env.KLANTREIS_SES_ENDPOINT;
    process.env.AWS_REGION = 'eu-west-1';
    const { sesClient } = await import('#adapters/aws-clients.ts');
    const client = sesClient();

    expect(client.config.endpoint).toBeUndefined();
    expect(await client.config.region()).toBe('eu-west-1');
    client.destroy();
  });
});
