import { describe, expect, it } from 'vitest';
import type { JourneyTaskCallbacks, SendRecord } from '#core/ports.ts';
import { EMAIL_NOT_READ, readCheckCompletionOf } from '#core/task-callback.ts';
import * as emailFeedback from '#handlers/record-email-feedback.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { InMemoryTaskCallbacks } from '../../fixtures/in-memory-task-callbacks.ts';
import { fixedClock, lambdaContext } from '../../fixtures/lambda.ts';

const sentAt = '2026-12-01T09:00:00.000Z';
const KEY = 'run-1#first-reminder';
const TOKEN = 'token-of-the-first-reminder';
/** What run-journey-step would have returned had it not waited: the next step in seven days. */
const PROGRESS = {
  action: 'next',
  wakeAt: '2026-12-08T09:00:00.000Z',
  stepId: 'first-reminder',
  outcome: 'sent',
};

type Call =
  | { kind: 'succeed'; taskToken: string; output: unknown }
  | { kind: 'fail'; taskToken: string; error: string; cause: string };

/** Step Functions' side: records each completion; `waiting` false answers as for a stopped or timed-out Task. */
function stepFunctions(waiting = true): JourneyTaskCallbacks & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    succeed: async (taskToken, output) => {
      calls.push({ kind: 'succeed', taskToken, output });
      return waiting;
    },
    fail: async (taskToken, failure) => {
      calls.push({ kind: 'fail', taskToken, ...failure });
      return waiting;
    },
  };
}

function setup(options: { held?: boolean; waiting?: boolean; supporting?: boolean } = {}) {
  const repository = new InMemoryRepository();
  const record: SendRecord = {
    key: KEY,
    status: 'sent',
    channel: 'email',
    providerMessageId: 'ses-1',
    at: sentAt,
    ...(options.supporting === false ? {} : { fallback: 'sms' as const }),
  };
  repository.sends.set(KEY, record);
  repository.sendOwners.set(KEY, 'c-1');
  const store = new InMemoryTaskCallbacks(repository);
  if (options.held !== false) store.holds.set(KEY, { taskToken: TOKEN, output: JSON.stringify(PROGRESS) });
  const sfn = stepFunctions(options.waiting ?? true);
  const handler = emailFeedback.makeHandler({
    deliveries: repository,
    suppressions: repository,
    consents: repository,
    customers: repository,
    timeline: repository,
    clock: fixedClock('2026-12-01T09:05:00Z'),
    taskCallbacks: { store, callbacks: sfn },
  });
  return { repository, store, sfn, handler };
}

const sesEvent = (eventType: string, detail: Record<string, unknown>) => ({
  source: 'aws.ses',
  'detail-type': `Email ${eventType}`,
  detail: {
    eventType,
    mail: { messageId: 'ses-1', timestamp: sentAt, tags: { journey: ['payment-reminder'] } },
    ...detail,
  },
});
const opened = sesEvent('Open', { open: { timestamp: '2026-12-01T12:00:00.000Z' } });
const clicked = sesEvent('Click', { click: { timestamp: '2026-12-01T12:01:00.000Z' } });
const delivered = sesEvent('Delivery', { delivery: { timestamp: '2026-12-01T09:00:01.000Z' } });
const bounced = sesEvent('Bounce', {
  bounce: {
    bounceType: 'Permanent',
    bouncedRecipients: [{ emailAddress: 'c1@example.nl' }],
    timestamp: '2026-12-01T09:00:02.000Z',
  },
});

describe('record-email-feedback completes the journey Task waiting for the email to be read', () => {
  it('an open completes it with the progress the step stored, and clears the callback', async () => {
    const { handler, sfn, repository, store } = setup();
    const result = await handler(opened, lambdaContext);
    expect(sfn.calls).toEqual([{ kind: 'succeed', taskToken: TOKEN, output: PROGRESS }]);
    expect(result.effects).toContain('read-check-passed');
    expect(store.holds.get(KEY)).toBeUndefined();
    // The open is recorded as before.
    expect(repository.sends.get(KEY)?.engagement).toBe('opened');
  });

  it('a click completes it too', async () => {
    const { handler, sfn } = setup();
    await handler(clicked, lambdaContext);
    expect(sfn.calls).toEqual([{ kind: 'succeed', taskToken: TOKEN, output: PROGRESS }]);
  });

  it('a bounce fails it with Klantreis.EmailNotRead, naming the step and status only: the SMS goes at once', async () => {
    const { handler, sfn, store } = setup();
    const result = await handler(bounced, lambdaContext);
    expect(sfn.calls).toEqual([
      {
        kind: 'fail',
        taskToken: TOKEN,
        error: 'Klantreis.EmailNotRead',
        cause: 'first reminder email not delivered (bounced)',
      },
    ]);
    expect(result.effects).toContain('read-check-failed');
    expect(store.holds.get(KEY)).toBeUndefined();
  });

  it('a delivery decides nothing: the Task keeps waiting for an open or its timeout', async () => {
    const { handler, sfn, store } = setup();
    await handler(delivered, lambdaContext);
    expect(sfn.calls).toEqual([]);
    expect(store.holds.get(KEY)?.taskToken).toBe(TOKEN);
  });

  it('a Task that no longer waits (run stopped, timed out) is no error; the callback is cleared', async () => {
    const { handler, sfn, store } = setup({ waiting: false });
    const result = await handler(opened, lambdaContext);
    expect(sfn.calls).toHaveLength(1);
    expect(result.effects).not.toContain('read-check-passed');
    expect(store.holds.get(KEY)).toBeUndefined();
  });

  it('a repeated open completes a callback still held (the first attempt died before clearing it)', async () => {
    const { handler, sfn, repository } = setup();
    await repository.recordDeliveryOutcome('c-1', KEY, {
      engagement: 'opened',
      at: '2026-12-01T11:00:00.000Z',
    });
    await handler(opened, lambdaContext);
    expect(sfn.calls).toEqual([{ kind: 'succeed', taskToken: TOKEN, output: PROGRESS }]);
  });

  it('reads no callback for an email without a supporting channel (no step waits on one)', async () => {
    const { handler, sfn, store } = setup({ supporting: false });
    let reads = 0;
    const get = store.getTaskCallback.bind(store);
    store.getTaskCallback = (customerId, key) => {
      reads += 1;
      return get(customerId, key);
    };
    await handler(opened, lambdaContext);
    expect(reads).toBe(0);
    expect(sfn.calls).toEqual([]);
  });

  it('calls nobody for an email no Task waits on', async () => {
    const { handler, sfn } = setup({ held: false });
    await handler(opened, lambdaContext);
    await handler(bounced, lambdaContext);
    expect(sfn.calls).toEqual([]);
  });
});

describe('readCheckCompletionOf', () => {
  it('moves on when read, fails when it cannot be read, and waits otherwise', () => {
    expect(readCheckCompletionOf('first-reminder', { engagement: 'opened' })).toEqual({ kind: 'succeed' });
    expect(
      readCheckCompletionOf('first-reminder', { engagement: 'clicked', deliveryStatus: 'delivered' }),
    ).toEqual({
      kind: 'succeed',
    });
    for (const status of ['bounced', 'rejected', 'failed'] as const) {
      expect(
        readCheckCompletionOf('first-reminder', { deliveryStatus: status, engagement: 'opened' }),
      ).toEqual({
        kind: 'fail',
        error: EMAIL_NOT_READ,
        cause: `first reminder email not delivered (${status})`,
      });
    }
    expect(readCheckCompletionOf('first-reminder', { deliveryStatus: 'delivered' })).toBeUndefined();
    expect(readCheckCompletionOf('first-reminder', { deliveryStatus: 'delayed' })).toBeUndefined();
    expect(readCheckCompletionOf('first-reminder', {})).toBeUndefined();
    // A complaint hands the customer to a person: no SMS rushed out; read or not decides as without it.
    expect(readCheckCompletionOf('first-reminder', { deliveryStatus: 'complained' })).toBeUndefined();
    expect(
      readCheckCompletionOf('first-reminder', { deliveryStatus: 'complained', engagement: 'opened' }),
    ).toEqual({ kind: 'succeed' });
  });
});
