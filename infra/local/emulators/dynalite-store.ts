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
 */
import { createRequire } from 'node:module';

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

if (!(CORRECTED in memoryLevel)) {
  const Base = memoryLevel.MemoryLevel;
  class CompactMemoryLevel extends Base {
    constructor(options?: Record<string, unknown>) {
      super({ ...options, storeEncoding: 'utf8' });
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
