import { describe, expect, it } from 'vitest';
import type { DeadLetterPeek } from '#adapters/sqs-dead-letters.ts';
import { DeadLettersResponseSchema } from '#application/api/dead-letters.ts';
import { makeHandler } from '#handlers/get-operations-dead-letters.ts';
import { fixedClock, httpEvent, lambdaContext, viewer } from '../../fixtures/lambda.ts';

const now = '2026-12-01T10:00:00Z';
const peeked: string[] = [];
const peek: DeadLetterPeek = {
  async peek(url) {
    peeked.push(url);
    if (url.endsWith('/feedback-dlq'))
      return {
        depth: 12,
        messages: [
          { messageId: 'm-new', sentAt: new Date('2026-12-01T09:30:00Z') },
          { messageId: 'm-old', sentAt: new Date('2026-11-30T10:00:00Z') },
        ],
      };
    return { depth: 0, messages: [] };
  },
};
const handler = makeHandler({
  queues: {
    scheduler: 'https://sqs.eu-west-1.amazonaws.com/1/scheduler-dlq',
    feedback: 'https://sqs.eu-west-1.amazonaws.com/1/feedback-dlq',
  },
  peek,
  clock: fixedClock(now),
});
const get = (caller?: Parameters<typeof httpEvent>[0]['caller']) =>
  handler(httpEvent({ pathParameters: {}, ...(caller ? { caller } : {}) }), lambdaContext);

describe('get-operations-dead-letters', () => {
  it('answers each queue by name with its depth and its oldest messages first, with their ages', async () => {
    const response = await get(viewer);
    expect(response.statusCode).toBe(200);
    const body = DeadLettersResponseSchema.parse(JSON.parse(String(response.body)));
    expect(body.queues).toEqual([
      { name: 'scheduler', depth: 0, oldest: [] },
      {
        name: 'feedback',
        depth: 12,
        oldest: [
          { messageId: 'm-old', sentAt: '2026-11-30T10:00:00.000Z', ageMinutes: 1440 },
          { messageId: 'm-new', sentAt: '2026-12-01T09:30:00.000Z', ageMinutes: 30 },
        ],
      },
    ]);
    expect(body.checkedAt).toBe('2026-12-01T10:00:00.000Z');
  });

  it('refuses a caller without a console role, in plain words, and peeks at nothing', async () => {
    peeked.length = 0;
    const response = await get('anonymous');
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(String(response.body)).error).toBe(
      'forbidden: this needs the viewer role; you are not signed in',
    );
    expect(peeked).toEqual([]);
  });
});
