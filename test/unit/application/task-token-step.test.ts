import { describe, expect, it } from 'vitest';
import { answerTaskToken } from '#application/task-token-step.ts';
import type { DeliveryStatus, Engagement, JourneyTaskCallbacks } from '#core/ports.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { InMemoryTaskCallbacks } from '../../fixtures/in-memory-task-callbacks.ts';

const KEY = 'run-1#first-reminder';
const NEXT = { action: 'next', wakeAt: '2026-12-08T09:00:00.000Z' };

function setup(
  options: {
    waiting?: boolean;
    feedback?: { deliveryStatus?: DeliveryStatus; engagement?: Engagement };
  } = {},
) {
  const sends = new InMemoryRepository();
  sends.sends.set(KEY, {
    key: KEY,
    status: 'sent',
    channel: 'email',
    providerMessageId: 'ses-1',
    at: '2026-12-01T09:00:00.000Z',
    fallback: 'sms',
    ...options.feedback,
  });
  const calls: unknown[] = [];
  const callbacks: JourneyTaskCallbacks = {
    succeed: async (taskToken, output) => {
      calls.push({ succeed: taskToken, output });
      return options.waiting ?? true;
    },
    fail: async (taskToken, failure) => {
      calls.push({ fail: taskToken, ...failure });
      return options.waiting ?? true;
    },
  };
  const store = new InMemoryTaskCallbacks(sends);
  return { deps: { callbacks, store }, store, calls };
}

const awaitRead = {
  kind: 'await-read',
  customerId: 'c-1',
  key: KEY,
  stepId: 'first-reminder',
  output: NEXT,
} as const;

describe('answerTaskToken', () => {
  it('completes the token at once when there is nothing to check', async () => {
    const { deps, calls } = setup();
    expect(await answerTaskToken(deps, 'tok', { kind: 'complete', output: NEXT })).toBe('completed');
    expect(calls).toEqual([{ succeed: 'tok', output: NEXT }]);
  });

  it('keeps the token and the progress once read on the send record, and completes nothing yet', async () => {
    const { deps, calls, store } = setup();
    expect(await answerTaskToken(deps, 'tok', awaitRead)).toBe('awaiting-read');
    expect(calls).toEqual([]);
    expect(store.holds.get(KEY)).toEqual({ taskToken: 'tok', output: JSON.stringify(NEXT) });
  });

  it('completes the token itself when the open came before it was kept', async () => {
    const { deps, calls, store } = setup({ feedback: { deliveryStatus: 'delivered', engagement: 'opened' } });
    expect(await answerTaskToken(deps, 'tok', awaitRead)).toBe('completed');
    expect(calls).toEqual([{ succeed: 'tok', output: NEXT }]);
    expect(store.holds.get(KEY)).toBeUndefined();
  });

  it('fails the token itself when the bounce came before it was kept: the SMS goes at once', async () => {
    const { deps, calls } = setup({ feedback: { deliveryStatus: 'bounced' } });
    expect(await answerTaskToken(deps, 'tok', awaitRead)).toBe('failed');
    expect(calls).toEqual([
      { fail: 'tok', error: 'Klantreis.EmailNotRead', cause: 'first reminder email not delivered (bounced)' },
    ]);
  });

  it('says so when the Task no longer waits (its run was stopped)', async () => {
    const { deps } = setup({ waiting: false });
    expect(await answerTaskToken(deps, 'tok', { kind: 'complete', output: NEXT })).toBe('not-waiting');
  });
});
