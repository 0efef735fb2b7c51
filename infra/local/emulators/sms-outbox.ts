/**
 * SMS on one machine: a tiny endpoint that records SNS `Publish` to a phone number and End User
 * Messaging SMS `SendTextMessage`, in one outbox.
 *
 * There is no SNS or End User Messaging emulator worth a dependency (the candidates are Docker images
 * or whole cloud emulators), and each SMS path needs one action: `@aws-sdk/client-sns` speaks the AWS
 * Query protocol (a form-encoded POST answered with XML), `@aws-sdk/client-pinpoint-sms-voice-v2` the
 * AWS JSON 1.0 protocol (a JSON POST naming the action in `X-Amz-Target`), so the real clients (the
 * production code paths) talk to this server. Binds to 127.0.0.1 only; port 0 picks a free port.
 *
 * - `POST /` with `Action=Publish` (PhoneNumber, Message, MessageAttributes.entry.N.*): stored,
 *   answered with a PublishResponse; any other action gets an SNS-style XML error with 400.
 * - `POST /` with `X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage` (DestinationPhoneNumber,
 *   MessageBody, MessageType, OriginationIdentity, ConfigurationSetName, Context): stored with its
 *   context, answered with `{"MessageId": …}`; a missing field or any other target gets a JSON
 *   `ValidationException` with 400, as End User Messaging answers.
 * - `GET /messages`: the stored messages as JSON, oldest first. `POST /clear`: empties them.
 * - `GET /`: the outbox as a small HTML page, newest first, with a form to reply as a customer.
 * - `POST /inbound` (JSON `{ "from": "+316…", "text": "STOP" }` or the page's form): a customer's
 *   reply, handed to `onInbound` (the local runtime feeds it to the inbound-SMS handler).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Clock } from '#core/ports.ts';
import type { SentMessages } from '../sent-messages.ts';
import { closeServer, listenLocal } from './server-lifecycle.ts';

/** One SMS as the outbox stored it. */
export interface StoredSms {
  messageId: string;
  phoneNumber: string;
  message: string;
  /**
   * Message attributes by name (string values), e.g. `AWS.SNS.SMS.SMSType: Transactional`; for
   * `SendTextMessage` its `MessageType`, `OriginationIdentity` and `ConfigurationSetName`.
   */
  attributes: Record<string, string>;
  /** `SendTextMessage`'s `Context`, which every event of the message carries. */
  context?: Record<string, string>;
  /** ISO timestamp of receipt (the outbox's clock: world time, not the sending run's). */
  at: string;
  /** When the run sent it, on its simulated clock (ISO), as the sender recorded it. */
  sentAt?: string;
  /** The customer it went to, as the sender recorded it. */
  customerId?: string;
}

export interface RunningSmsOutbox {
  endpoint: string;
  stop(): Promise<void>;
  /** Returns the messages received, oldest first. */
  messages(): StoredSms[];
  clear(): void;
}

const XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
const MAX_BODY_BYTES = 1024 * 1024;

class SnsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Returns the text safe for XML and HTML element content and attribute values. */
function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Returns the request body as text, refusing bodies larger than any Publish. */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SnsError('InvalidParameter', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Returns the `MessageAttributes.entry.N` pairs of a Query form as a name → string value map. */
function messageAttributes(form: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`) ?? '';
    attributes[name] =
      form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ??
      form.get(`MessageAttributes.entry.${n}.Value.BinaryValue`) ??
      '';
  }
  return attributes;
}

/** Returns the stored message for a Publish form, or throws the error SNS would answer. */
function publish(form: URLSearchParams, at: Date): StoredSms {
  const phoneNumber = form.get('PhoneNumber');
  if (!phoneNumber) {
    throw new SnsError('InvalidParameter', 'PhoneNumber is required: this outbox only accepts SMS');
  }
  const message = form.get('Message');
  if (!message) throw new SnsError('InvalidParameter', 'Empty message');
  return {
    messageId: randomUUID(),
    phoneNumber,
    message,
    attributes: messageAttributes(form),
    at: at.toISOString(),
  };
}

/** The AWS JSON 1.0 target of End User Messaging SMS `SendTextMessage`. */
export const SEND_TEXT_MESSAGE_TARGET = 'PinpointSMSVoiceV2.SendTextMessage';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** An End User Messaging SMS error: its `__type`, a `Reason` code and a message (never personal data). */
class SmsVoiceError extends Error {
  readonly type: string;
  readonly reason: string;
  constructor(type: string, reason: string, message: string) {
    super(message);
    this.type = type;
    this.reason = reason;
  }
}

/** Returns the stored message for a `SendTextMessage` body, or throws the error End User Messaging would answer. */
function sendTextMessage(body: string, at: Date): StoredSms {
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new SmsVoiceError('ValidationException', 'CANNOT_PARSE', 'body is not JSON');
  }
  const text = (name: string) => (typeof request[name] === 'string' ? (request[name] as string) : undefined);
  const phoneNumber = text('DestinationPhoneNumber');
  const message = text('MessageBody');
  if (!phoneNumber || !message) {
    throw new SmsVoiceError(
      'ValidationException',
      'MISSING_PARAMETER',
      'DestinationPhoneNumber and MessageBody are required',
    );
  }
  const attributes: Record<string, string> = {};
  for (const name of ['MessageType', 'OriginationIdentity', 'ConfigurationSetName']) {
    const value = text(name);
    if (value) attributes[name] = value;
  }
  const context = request.Context;
  const contextEntries =
    typeof context === 'object' && context !== null ? Object.entries(context as Record<string, unknown>) : [];
  // End User Messaging's limits on the context: at most 5 entries, keys of 1–100, values of 1–800 characters.
  const fits =
    contextEntries.length <= 5 &&
    contextEntries.every(
      ([key, value]) =>
        key.length >= 1 &&
        key.length <= 100 &&
        typeof value === 'string' &&
        value.length >= 1 &&
        value.length <= 800,
    );
  if (!fits)
    throw new SmsVoiceError('ValidationException', 'INVALID_PARAMETER', 'Context does not fit its limits');
  return {
    messageId: randomUUID(),
    phoneNumber,
    message,
    attributes,
    ...(contextEntries.length > 0
      ? { context: Object.fromEntries(contextEntries) as Record<string, string> }
      : {}),
    at: at.toISOString(),
  };
}

function sendSmsVoiceError(response: ServerResponse, error: SmsVoiceError): void {
  response
    .writeHead(400, { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-errortype': error.type })
    .end(JSON.stringify({ __type: error.type, message: error.message, Reason: error.reason }));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType }).end(body);
}

function sendXml(response: ServerResponse, status: number, xml: string): void {
  send(response, status, 'text/xml', xml);
}

function publishResponse(messageId: string): string {
  return `<PublishResponse xmlns="${XML_NAMESPACE}"><PublishResult><MessageId>${escapeMarkup(messageId)}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`;
}

function errorResponse(error: SnsError): string {
  return `<ErrorResponse xmlns="${XML_NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeMarkup(error.code)}</Code><Message>${escapeMarkup(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

/** An SMS a customer sends back, as the outbox's `POST /inbound` receives it. */
export interface InboundSms {
  from: string;
  text: string;
}

/** Returns the inbound SMS in a JSON or form body, or throws naming what is missing. */
function inboundOf(body: string, contentType: string): InboundSms {
  let fields: Record<string, unknown>;
  if (contentType.includes('application/json')) {
    try {
      fields = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw new SnsError('InvalidParameter', 'body is not JSON');
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(body));
  }
  const { from, text } = fields;
  if (typeof from !== 'string' || !/^\+[1-9]\d{6,14}$/.test(from.replace(/\s/g, ''))) {
    throw new SnsError('InvalidParameter', 'from must be an E.164 number');
  }
  if (typeof text !== 'string' || text.length === 0 || text.length > 1600) {
    throw new SnsError('InvalidParameter', 'text must be 1 to 1600 characters');
  }
  return { from: from.replace(/\s/g, ''), text };
}

function outboxPage(messages: StoredSms[]): string {
  const rows = messages
    .toReversed()
    .map(
      (sms) =>
        `<tr><td>${escapeMarkup(sms.sentAt ?? sms.at)}</td><td>${escapeMarkup(sms.customerId ?? '')}</td><td>${escapeMarkup(sms.phoneNumber)}</td><td>${escapeMarkup(sms.attributes['AWS.SNS.SMS.SMSType'] ?? sms.attributes.MessageType ?? '')}</td><td>${escapeMarkup(sms.message)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Klantreis SMS outbox</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}td:last-child{white-space:pre-wrap}</style>
</head><body><h1>SMS outbox</h1><p>${messages.length} message(s), newest first.</p>
<table><thead><tr><th>Sent at (simulated)</th><th>Customer</th><th>To</th><th>Type</th><th>Message</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Reply as a customer</h2>
<form method="post" action="/inbound"><label>From <input name="from" placeholder="+31612345678"></label>
<label>Text <input name="text" placeholder="STOP"></label> <button>Send reply</button></form>
</body></html>`;
}

/**
 * Starts the SMS outbox and returns its endpoint (for `KLANTREIS_SNS_ENDPOINT` or `createSnsClient`,
 * and `KLANTREIS_SMS_VOICE_ENDPOINT` or `createEumSmsClient`).
 */
export async function startSmsOutbox(
  options: {
    port?: number;
    clock?: Clock;
    onInbound?: (sms: InboundSms) => Promise<unknown>;
    /** When and to whom each message was sent, as the senders recorded it. */
    sentMessages?: Pick<SentMessages, 'of'>;
  } = {},
): Promise<RunningSmsOutbox> {
  const clock = options.clock ?? { now: () => new Date() };
  let stored: StoredSms[] = [];
  const listed = () => stored.map((sms) => ({ ...sms, ...options.sentMessages?.of(sms.messageId) }));

  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    try {
      if (request.method === 'GET' && path === '/') {
        send(response, 200, 'text/html; charset=utf-8', outboxPage(listed()));
      } else if (request.method === 'GET' && path === '/messages') {
        send(response, 200, 'application/json', JSON.stringify(listed()));
      } else if (request.method === 'POST' && path === '/inbound') {
        const sms = inboundOf(await readBody(request), String(request.headers['content-type'] ?? ''));
        const result = options.onInbound ? await options.onInbound(sms) : { received: true };
        send(response, 200, 'application/json', JSON.stringify(result ?? { received: true }));
      } else if (request.method === 'POST' && path === '/clear') {
        stored = [];
        send(response, 200, 'application/json', '{"cleared":true}');
      } else if (request.method === 'POST' && path === '/' && request.headers['x-amz-target'] !== undefined) {
        const target = String(request.headers['x-amz-target']);
        const body = await readBody(request);
        if (target !== SEND_TEXT_MESSAGE_TARGET) {
          sendSmsVoiceError(
            response,
            new SmsVoiceError(
              'ValidationException',
              'UNKNOWN_OPERATION',
              'only SendTextMessage is served here',
            ),
          );
          return;
        }
        let sms: StoredSms;
        try {
          sms = sendTextMessage(body, clock.now());
        } catch (error) {
          if (error instanceof SmsVoiceError) {
            sendSmsVoiceError(response, error);
            return;
          }
          throw error;
        }
        stored.push(sms);
        send(response, 200, JSON_CONTENT_TYPE, JSON.stringify({ MessageId: sms.messageId }));
      } else if (request.method === 'POST' && path === '/') {
        const form = new URLSearchParams(await readBody(request));
        const action = form.get('Action') ?? '';
        if (action !== 'Publish') {
          throw new SnsError(
            'InvalidAction',
            `The action ${action || '(none)'} is not valid for this endpoint`,
          );
        }
        const sms = publish(form, clock.now());
        stored.push(sms);
        sendXml(response, 200, publishResponse(sms.messageId));
      } else {
        send(response, 404, 'text/plain', 'Not found');
      }
    } catch (error) {
      const snsError = error instanceof SnsError ? error : new SnsError('InternalError', 'Internal error');
      sendXml(response, snsError.code === 'InternalError' ? 500 : 400, errorResponse(snsError));
    }
  });

  const address = await listenLocal(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () => closeServer(server),
    messages: listed,
    clear: () => {
      stored = [];
    },
  };
}
