import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import '#infra/local/emulators/dynalite-store.ts';

interface StoreIterator {
  next(): Promise<unknown>;
  return?: () => Promise<void>;
}
interface Store {
  supports: { encodings: Record<string, boolean> };
  put(key: string, value: unknown): Promise<void>;
  values(): StoreIterator;
  close(): Promise<void>;
}

// The class dynalite builds its in-memory store from, as dynalite requires it.
const { MemoryLevel } = createRequire(import.meta.url)('memory-level') as {
  MemoryLevel: new (options: Record<string, unknown>) => Store;
};

describe("the local DynamoDB's in-memory store", () => {
  it('stores keys and values as text, so no key keeps a shared buffer pool alive', () => {
    const store = new MemoryLevel({ valueEncoding: 'json' });
    expect(store.supports.encodings.utf8).toBe(true);
    expect(store.supports.encodings.buffer).toBeFalsy();
  });

  it('closes an iterator when its reader stops, so no old version of the tree stays reachable', async () => {
    const store = new MemoryLevel({ valueEncoding: 'json' });
    await store.put('CUSTOMER#1', { pk: { S: 'CUSTOMER#1' } });
    await store.put('CUSTOMER#2', { pk: { S: 'CUSTOMER#2' } });
    const iterator = store.values();
    await iterator.next();
    await iterator.return?.();
    await expect(iterator.next()).rejects.toThrow(/not open/);
    await store.close();
  });
});
