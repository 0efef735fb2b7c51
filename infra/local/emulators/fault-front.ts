/**
 * A front for a local provider emulator (SES v2, the SMS outbox as SNS or End User Messaging SMS) that injects the faults of
 * `provider-faults.ts` on send calls and passes everything else through unchanged.
 *
 * It stands where the provider's endpoint is, so the real SDK clients (the production code path)
 * parse every fault as they parse AWS's answers: the error shapes are the providers' own wire
 * shapes (REST-JSON with `x-amzn-ErrorType` for SES v2, Query-protocol XML for SNS, JSON 1.0 with
 * `__type` and a `Reason` for End User Messaging SMS). A timeout
 * answers nothing: after acceptance the emulator has stored the message, before it has not; either
 * way the connection is held until the client gives up or `hold` ms pass, then dropped.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { FaultChannel, FaultKind, ProviderFaults } from './provider-faults.ts';
import { closeServer, listenLocal } from './server-lifecycle.ts';

type AnsweredFault = Extract<FaultKind, 'refuse' | 'throttle' | 'unavailable'>;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How one provider's send calls look on the wire. */
export interface ProviderWire {
  channel: FaultChannel;
  /** The recipient of a send request, or undefined when the request is not a send. */
  sendTo(method: string, path: string, body: string): string | undefined;
  /** The message id in an accepted send's answer. */
  messageIdOf(answer: string): string | undefined;
  /** The provider's answer for a fault it answers. */
  errorAnswer(kind: AnsweredFault): Answer;
}

const SES_ERRORS: Record<AnsweredFault, { status: number; code: string; message: string }> = {
  refuse: { status: 400, code: 'MessageRejected', message: 'Email address is not verified.' },
  throttle: { status: 429, code: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  unavailable: { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable.' },
};

/** Returns what `read` takes from the JSON text when it is a string; undefined for anything else, or text that is not JSON. */
function stringFromJson<T>(text: string, read: (parsed: T) => unknown): string | undefined {
  try {
    const value = read(JSON.parse(text) as T);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The `MessageId` of a JSON answer (SES v2, End User Messaging SMS). */
const jsonMessageIdOf = (answer: string) =>
  stringFromJson<{ MessageId?: unknown }>(answer, (a) => a.MessageId);

/** A JSON provider's error answer, typed by `x-amzn-ErrorType`. */
function jsonErrorAnswer(status: number, contentType: string, errorType: string, body: object): Answer {
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-errortype': errorType, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

/** SES v2 (REST-JSON): `POST /v2/email/outbound-emails` is SendEmail. */
export const SES_WIRE: ProviderWire = {
  channel: 'email',
  sendTo(method, path, body) {
    if (method !== 'POST' || path !== '/v2/email/outbound-emails') return undefined;
    return stringFromJson<{ Destination?: { ToAddresses?: unknown[] } }>(
      body,
      (request) => request.Destination?.ToAddresses?.[0],
    );
  },
  messageIdOf: jsonMessageIdOf,
  errorAnswer(kind) {
    const error = SES_ERRORS[kind];
    return jsonErrorAnswer(error.status, 'application/json', error.code, { message: error.message });
  },
};

const SNS_ERRORS: Record<AnsweredFault, { status: number; type: string; code: string; message: string }> = {
  refuse: {
    status: 400,
    type: 'Sender',
    code: 'InvalidParameter',
    message: 'Invalid parameter: PhoneNumber',
  },
  throttle: { status: 429, type: 'Sender', code: 'Throttled', message: 'Rate exceeded' },
  unavailable: { status: 503, type: 'Receiver', code: 'ServiceUnavailable', message: 'Service unavailable' },
};

/** SNS (Query protocol): a form POST with `Action=Publish` and a `PhoneNumber` is an SMS send. */
export const SNS_WIRE: ProviderWire = {
  channel: 'sms',
  sendTo(method, path, body) {
    if (method !== 'POST' || path !== '/') return undefined;
    const form = new URLSearchParams(body);
    return form.get('Action') === 'Publish' ? (form.get('PhoneNumber') ?? undefined) : undefined;
  },
  messageIdOf(answer) {
    return /<MessageId>([^<]+)<\/MessageId>/.exec(answer)?.[1];
  },
  errorAnswer(kind) {
    const error = SNS_ERRORS[kind];
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() },
      body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${error.type}</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    };
  },
};

export interface FaultFront {
  /** Where clients send: the provider's endpoint, faults included. */
  endpoint: string;
  stop(): Promise<void>;
}

async function bodyOf(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Holds the connection until the client gives up or `ms` pass, then drops it with no answer. */
function holdThenDrop(incoming: IncomingMessage, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = incoming.socket;
    const drop = () => {
      clearTimeout(timer);
      socket.off('close', drop);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(drop, ms);
    socket.once('close', drop);
  });
}

/** Starts a front for the emulator at `backend` and returns its endpoint. */
export async function startFaultFront(options: {
  backend: string;
  wire: ProviderWire;
  faults: ProviderFaults;
  port?: number;
}): Promise<FaultFront> {
  const backend = new URL(options.backend);
  const agent = new Agent({ keepAlive: true });
  const { wire, faults } = options;

  const forward = (incoming: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const outgoing = request(
        {
          host: backend.hostname,
          port: backend.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: backend.host },
          agent,
        },
        (answer) => {
          bodyOf(answer).then(
            (answerBody) =>
              resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }),
            reject,
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const answerWith = (response: ServerResponse, answer: Awaited<ReturnType<typeof forward>>) => {
    const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...headers } = answer.headers;
    response.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
    response.end(answer.body);
  };

  const server = createServer(async (incoming, response) => {
    try {
      const body = await bodyOf(incoming);
      const path = new URL(incoming.url ?? '/', 'http://localhost').pathname;
      const to = wire.sendTo(incoming.method ?? 'GET', path, body.toString('utf8'));
      const fault = to === undefined ? undefined : faults.decide(wire.channel, to);
      if (!fault) {
        answerWith(response, await forward(incoming, body));
        return;
      }
      switch (fault.kind) {
        case 'refuse':
        case 'throttle':
        case 'unavailable': {
          const answer = wire.errorAnswer(fault.kind);
          response.writeHead(answer.status, answer.headers).end(answer.body);
          return;
        }
        case 'timeout-before-accept':
          await holdThenDrop(incoming, fault.holdMs);
          return;
        case 'timeout-after-accept': {
          const accepted = await forward(incoming, body);
          const providerMessageId = wire.messageIdOf(accepted.body.toString('utf8'));
          if (accepted.status !== 200 || !providerMessageId || to === undefined) {
            answerWith(response, accepted);
            return;
          }
          faults.acceptedWithoutAnswer({ channel: wire.channel, to, providerMessageId });
          await holdThenDrop(incoming, fault.holdMs);
          return;
        }
      }
    } catch {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end('emulator unreachable');
    }
  });

  const address = await listenLocal(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async stop() {
      await closeServer(server);
      agent.destroy();
    },
  };
}

const SMS_VOICE_ERRORS: Record<
  AnsweredFault,
  { status: number; type: string; reason?: string; message: string }
> = {
  refuse: {
    status: 400,
    type: 'ValidationException',
    reason: 'INVALID_PARAMETER',
    message: 'The destination phone number is not valid',
  },
  throttle: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
  unavailable: { status: 500, type: 'InternalServerException', message: 'Internal server error' },
};

/** End User Messaging SMS (JSON 1.0): a JSON POST with a `DestinationPhoneNumber` is `SendTextMessage`. */
export const SMS_VOICE_WIRE: ProviderWire = {
  channel: 'sms',
  sendTo(method, path, body) {
    if (method !== 'POST' || path !== '/') return undefined;
    return stringFromJson<{ DestinationPhoneNumber?: unknown }>(
      body,
      (request) => request.DestinationPhoneNumber,
    );
  },
  messageIdOf: jsonMessageIdOf,
  errorAnswer(kind) {
    const error = SMS_VOICE_ERRORS[kind];
    return jsonErrorAnswer(error.status, 'application/x-amz-json-1.0', error.type, {
      __type: error.type,
      message: error.message,
      ...(error.reason ? { Reason: error.reason } : {}),
    });
  },
};
