/**
 * What "never left" and "maybe accepted" look like as the real SDK throws them: a sending client,
 * configured as production's (`SEND_ONCE`, shorter timeouts so the test is quick), against local
 * servers that refuse, accept and never answer, answer nothing after reading, or hold every socket.
 * Each error is then classified as the send step classifies it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEND_CONNECTION_TIMEOUT_MS, SEND_ONCE, SEND_REQUEST_TIMEOUT_MS } from '#adapters/client-config.ts';
import { classifyProviderError } from '#adapters/provider-errors.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** Production's handler config with the timeouts scaled down, the connection one still the shorter. */
const quick = (overrides: Record<string, unknown> = {}) => ({
  ...SEND_ONCE,
  requestHandler: {
    ...SEND_ONCE.requestHandler,
    connectionTimeout: 400,
    requestTimeout: 1_200,
    ...overrides,
  },
});
const ses = (port: number, overrides?: Record<string, unknown>) =>
  new SESv2Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials,
    ...quick(overrides),
  });
const email = () =>
  new SendEmailCommand({
    FromEmailAddress: 'noreply@example.com',
    Destination: { ToAddresses: ['c1@example.nl'] },
    Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
  });

/** Returns the error the promise rejects with. */
async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the send to fail');
}

/** Starts a TCP server on loopback doing `onSocket` with each connection; returns it and its port. */
async function tcpServer(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const held: Socket[] = [];
let silent: { server: Server; port: number };
let resetting: { server: Server; port: number };
let closedPort: number;

beforeAll(async () => {
  // Accepts, reads the request, never answers.
  silent = await tcpServer((socket) => {
    held.push(socket);
    socket.resume();
  });
  // Reads the request, then drops the connection: the provider may have read it all.
  resetting = await tcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
  const closed = await tcpServer(() => {});
  closedPort = closed.port;
  await new Promise((resolve) => closed.server.close(resolve));
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await Promise.all([silent.server, resetting.server].map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('send errors as the SDK throws them', () => {
  it('keeps the connection timeout below the request timeout, so a queued request never looks like provider silence', () => {
    expect(SEND_CONNECTION_TIMEOUT_MS).toBeLessThan(SEND_REQUEST_TIMEOUT_MS);
    expect(SEND_ONCE.requestHandler).toMatchObject({
      connectionTimeout: SEND_CONNECTION_TIMEOUT_MS,
      requestTimeout: SEND_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  });

  it('a request queued behind busy sockets is not sent: the connection timeout fires, not the request timeout', async () => {
    const client = ses(silent.port, { httpAgent: { keepAlive: true, maxSockets: 1 } });
    const first = errorOf(client.send(email()));
    const queued = await errorOf(client.send(email()));
    expect(queued).toMatchObject({ name: 'TimeoutError', $metadata: { attempts: 1 } });
    expect(classifyProviderError('email', queued)).toEqual({
      kind: 'not-sent',
      code: 'TimeoutError:connection',
    });
    // The one holding the socket was written and never answered: maybe accepted.
    expect(classifyProviderError('email', await first)).toEqual({
      kind: 'maybe-sent',
      code: 'TimeoutError:ETIMEDOUT',
    });
    client.destroy();
  });

  it('a refused connection is not sent', async () => {
    const error = await errorOf(ses(closedPort).send(email()));
    expect(error).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    expect(classifyProviderError('email', error)).toEqual({ kind: 'not-sent', code: 'Error:ECONNREFUSED' });
    const sns = new SNSClient({
      endpoint: `http://127.0.0.1:${closedPort}`,
      region: 'eu-west-1',
      credentials,
      ...quick(),
    });
    const smsError = await errorOf(
      sns.send(new PublishCommand({ PhoneNumber: '+31612345678', Message: 'x' })),
    );
    expect(classifyProviderError('sms', smsError).kind).toBe('not-sent');
  });

  it('a name that does not resolve is not sent', async () => {
    const client = new SESv2Client({
      endpoint: 'http://klantreis.invalid',
      region: 'eu-west-1',
      credentials,
      ...quick(),
    });
    const error = await errorOf(client.send(email()));
    expect(error).toMatchObject({ syscall: 'getaddrinfo' });
    expect(classifyProviderError('email', error).kind).toBe('not-sent');
  });

  it('a written request the provider never answers may have been sent', async () => {
    const error = await errorOf(ses(silent.port).send(email()));
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    expect(classifyProviderError('email', error)).toEqual({
      kind: 'maybe-sent',
      code: 'TimeoutError:ETIMEDOUT',
    });
  });

  it('a connection dropped after the request was read may have been sent', async () => {
    const error = await errorOf(ses(resetting.port).send(email()));
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ECONNRESET' });
    expect(classifyProviderError('email', error)).toEqual({
      kind: 'maybe-sent',
      code: 'TimeoutError:ECONNRESET',
    });
  });

  it('a connected socket left idle may have been sent', async () => {
    const error = await errorOf(ses(silent.port, { requestTimeout: 0, socketTimeout: 200 }).send(email()));
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(classifyProviderError('email', error).kind).toBe('maybe-sent');
  });
});
