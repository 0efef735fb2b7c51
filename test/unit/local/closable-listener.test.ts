import type { RequestListener } from 'node:http';
import { describe, expect, it } from 'vitest';
import { callListener, closableListener } from '#infra/local/in-process-http.ts';

const request = { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) };

describe('an emulator listener called in process', () => {
  it('answers a call taken before the stop, then refuses new calls as a closed port does', async () => {
    let answer: (() => void) | undefined;
    const slow: RequestListener = (_req, res) => {
      answer = () => res.end('done');
    };
    const gate = closableListener(slow);
    const taken = callListener(gate.listener, request);
    let closed = false;
    const closing = gate.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    answer?.();
    expect((await taken).body.toString()).toBe('done');
    await closing;
    expect(closed).toBe(true);
    await expect(callListener(gate.listener, request)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
