/**
 * Email on one machine: aws-ses-v2-local in this process, which the real SESv2Client sends to.
 * Binds to 127.0.0.1 only; port 0 picks a free port. Its store is module-global, so every
 * instance in one process shares the same emails; past a bound the oldest move to disk
 * (`ses-spill.ts`). Configuration sets and tags are not stored.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal, { type Config } from 'aws-ses-v2-local';
import * as z from 'zod/mini';
import type { SentMessages } from '../sent-messages.ts';
import { closeServer } from './server-lifecycle.ts';
import { allStoredEmails, clearSpilledEmails, spillOldEmails } from './ses-spill.ts';

/** One email as the emulator stored it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  /** The Reply-To addresses the sender set. */
  replyTo: string[];
  text?: string;
  html?: string;
  /** Extra headers the sender set (List-Unsubscribe, …). */
  headers: Array<{ name: string; value: string }>;
  /** Epoch seconds when the emulator received it (real time). */
  at: number;
  /** When the run sent it, on its simulated clock (ISO), as the sender recorded it. */
  sentAt?: string;
  /** The customer it went to, as the sender recorded it. */
  customerId?: string;
}

export interface RunningSes {
  /** e.g. `http://127.0.0.1:49153`; its `/` page is a web outbox. */
  endpoint: string;
  stop(): Promise<void>;
  /** Returns the emails received, oldest first. */
  listEmails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
}

const StoreSchema = z.object({
  emails: z.array(
    z.object({
      messageId: z.string(),
      from: z.string(),
      destination: z.object({ to: z.array(z.string()), cc: z.array(z.string()), bcc: z.array(z.string()) }),
      subject: z.string(),
      replyTo: z.optional(z.array(z.string())),
      body: z.object({ html: z.optional(z.string()), text: z.optional(z.string()) }),
      headers: z.optional(z.array(z.object({ name: z.string(), value: z.string() }))),
      at: z.number(),
    }),
  ),
});

/**
 * Returns the emulator's server factory. The package is CommonJS with `exports.default`: Node's
 * ESM default import is the whole `module.exports` (the factory under `.default`), while vitest's
 * interop hands over the factory itself.
 */
function serverFactory(): (config: Partial<Config>) => Promise<Server> {
  const imported: unknown = sesLocal;
  return typeof imported === 'function'
    ? (imported as (config: Partial<Config>) => Promise<Server>)
    : sesLocal.default;
}

/** Starts the SES emulator and returns its endpoint and outbox. */
export async function startSes(
  options: {
    port?: number;
    sentMessages?: Pick<SentMessages, 'of'>;
    /** Emails kept in memory past a spill to disk (default `EMAILS_IN_MEMORY`). */
    emailsInMemory?: number;
  } = {},
): Promise<RunningSes> {
  const server = await serverFactory()({ host: '127.0.0.1', port: options.port ?? 0 });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Once a request is answered the email it sent is in the store: the oldest go to disk past a bound.
  server.on('request', (_request: IncomingMessage, response: ServerResponse) =>
    response.once('finish', () => spillOldEmails(options.emailsInMemory)),
  );
  return {
    endpoint,
    stop: () => closeServer(server),
    async listEmails() {
      // Read in-process, in one go: the emails on disk and in memory, none moved in between.
      const { emails } = StoreSchema.parse({ emails: allStoredEmails() });
      return emails.map((email) => ({
        messageId: email.messageId,
        from: email.from,
        to: email.destination.to,
        cc: email.destination.cc,
        bcc: email.destination.bcc,
        subject: email.subject,
        replyTo: email.replyTo ?? [],
        text: email.body.text,
        html: email.body.html,
        headers: email.headers ?? [],
        at: email.at,
        ...options.sentMessages?.of(email.messageId),
      }));
    },
    async clear() {
      const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      if (!response.ok) throw new Error(`SES emulator clear: HTTP ${response.status}`);
      clearSpilledEmails();
    },
  };
}
