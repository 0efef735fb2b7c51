/**
 * The store under dynalite, made to keep only the table's items. dynalite builds its in-memory
 * store as `new MemoryLevel({ valueEncoding: 'json' })` and reads it through streams that never close
 * their iterators. Two things follow at volume, which this module (imported before dynalite loads)
 * corrects by handing dynalite a MemoryLevel of its own:
 *
 * - Keys and values are stored as Buffers, and Node hands out small Buffers as slices of a shared
 *   64 KB pool: one key alive keeps its whole pool alive, so the store held tens of times its items'
 *   size. Stored as strings (`storeEncoding: 'utf8'`), an item costs its own text.
 * - An iterator left open stays in the database's open resources, and with it the snapshot of the
 *   tree it was made on: every version of the tree since. Each stream's iterator is closed when its
 *   stream ends or is destroyed (dynalite calls `return()`, which abstract-level iterators lack).
 * - An item's JSON is kept compact (`compactJson`): its most frequent pieces token-coded, a long one
 *   (a message body) deflated with a dictionary of the table's own JSON. A customer's items
 *   (conversation, sends, result markers) are what the local runtime holds most of at volume.
 */
import { createRequire } from 'node:module';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

interface LevelIterator {
  close(): Promise<void>;
  return?: () => Promise<void>;
}

type MemoryLevelClass = new (
  options?: Record<string, unknown>,
) => {
  keys(options?: unknown): LevelIterator;
  values(options?: unknown): LevelIterator;
};

const require = createRequire(import.meta.url);
// dynalite's own `require('memory-level')` resolves to this module (one copy in node_modules).
const memoryLevel = require('memory-level') as { MemoryLevel: MemoryLevelClass };
/** Marks the module as corrected: a second import (another test file in the same process) leaves it. */
const CORRECTED = Symbol.for('klantreis.local.compactMemoryLevel');

/** Returns the iterator, closing when its reader stops (`return()`, as an async iterator's consumer calls it). */
function closable<T extends LevelIterator>(iterator: T): T {
  iterator.return ??= () => iterator.close();
  return iterator;
}

/** Marks a deflated value: JSON text never starts with a NUL. */
const DEFLATED = '\u0000';
/** Values this long are deflated: a message's body, a long conversation line. */
const DEFLATE_FROM = 1_000;
/**
 * What the table's items share, for deflate to refer back to from their first byte: DynamoDB's JSON
 * and the attribute names and values the repositories write most (`functions/adapters/dynamo/`).
 */
const DICTIONARY = Buffer.from(
  [
    '{"pk":{"S":"CUSTOMER#"},"sk":{"S":"TIMELINE#"},"entity":{"S":"timeline"}',
    '"sk":{"S":"RESULTEVENT"},"pk":{"S":"RESULTEVENT#"},"event":{"M":{"kind":{"S":"sent"}',
    '"sk":{"S":"SEND#"},"sk":{"S":"RUN#"},"sk":{"S":"EVENT#"},"sk":{"S":"SUBJECT#"},"sk":{"S":"PROFILE"}',
    '"journeyId":{"S":"payment-reminder"},"stepId":{"S":"first-reminder"},"runId":{"S":"',
    '"channel":{"S":"email"},"channel":{"S":"sms"},"outcome":{"S":"sent"},"status":{"S":"running"}',
    '"summary":{"S":""},"kind":{"S":"message"},"reasons":{"L":[{"S":""}]},"dims":{"M":{"day":{"S":"',
    '"at":{"S":"2026-12-01T08:00:00.000Z"},"expiresAt":{"N":"17"},"updatedAt":{"S":"',
    '{"S":"true"},{"BOOL":true},{"BOOL":false},{"N":"0"},{"NULL":true},{"M":{}},{"L":[]}',
  ].join(''),
);
/**
 * The shorter values (most items: a conversation line, a send, a result marker) trade the JSON's
 * most frequent pieces for one control character each (JSON text has none unescaped): about 30 %
 * shorter, at a few microseconds, where deflate's per-call set-up costs ten times that.
 */
const TOKENS = [
  '{"S":"',
  '"},"',
  '{"N":"',
  '{"M":{',
  '{"L":[',
  '{"BOOL":',
  '"}}',
  '"},{"S":"',
  '"pk":',
  '"sk":',
  '"entity":',
  '"customerId":',
  '"journeyId":',
  '"runId":',
  '"stepId":',
  '"channel":',
  '"expiresAt":',
  '"summary":',
  '"outcome":',
  '"kind":',
  '"at":',
  '"updatedAt":',
  '"status":',
  '"reasons":',
  '"event":',
  '"dims":',
  'CUSTOMER#',
  'TIMELINE#',
  'RESULTEVENT#',
  'payment-reminder',
  '.000Z',
] as const;
const TOKEN_PATTERN = new RegExp(
  [...TOKENS]
    .sort((a, b) => b.length - a.length)
    .map((token) => token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'g',
);
const CODE_OF = new Map<string, string>(TOKENS.map((token, i) => [token, String.fromCharCode(i + 1)]));
// Built from text: the codes are control characters on purpose (JSON text has none unescaped).
const CODE_PATTERN = new RegExp(`[${String.fromCharCode(1)}-${String.fromCharCode(TOKENS.length)}]`, 'g');

/**
 * dynalite's `json` value encoding, kept compact: shorter values token-coded, longer ones a NUL and
 * the deflated text as a Latin-1 string (one byte per character in V8, no Buffer pool pinned).
 */
export const compactJson = {
  name: 'klantreis-compact-json',
  format: 'utf8',
  encode(value: unknown): string {
    const text = JSON.stringify(value);
    if (text.length < DEFLATE_FROM)
      return text.replace(TOKEN_PATTERN, (token) => CODE_OF.get(token) ?? token);
    return DEFLATED + deflateRawSync(text, { dictionary: DICTIONARY }).toString('latin1');
  },
  decode(stored: string): unknown {
    if (!stored.startsWith(DEFLATED)) {
      return JSON.parse(stored.replace(CODE_PATTERN, (code) => TOKENS[code.charCodeAt(0) - 1] ?? code));
    }
    const deflated = Buffer.from(stored.slice(1), 'latin1');
    return JSON.parse(inflateRawSync(deflated, { dictionary: DICTIONARY }).toString('utf8'));
  },
};

if (!(CORRECTED in memoryLevel)) {
  const Base = memoryLevel.MemoryLevel;
  class CompactMemoryLevel extends Base {
    constructor(options?: Record<string, unknown>) {
      super({
        ...options,
        storeEncoding: 'utf8',
        ...(options?.valueEncoding === 'json' ? { valueEncoding: compactJson } : {}),
      });
    }
    override keys(options?: unknown) {
      return closable(super.keys(options));
    }
    override values(options?: unknown) {
      return closable(super.values(options));
    }
  }
  memoryLevel.MemoryLevel = CompactMemoryLevel;
  Object.defineProperty(memoryLevel, CORRECTED, { value: true });
}
