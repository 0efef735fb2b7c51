import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventBridgeHandOverPublisher } from '#adapters/eventbridge-hand-over.ts';
import { conversationUrlOf, type HandOver, handOver, handOverLinksOf } from '#core/hand-over.ts';
import { HandOverOutbox } from '#infra/local/hand-over-outbox.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';

/** A journey's hand-over, as run-journey-step builds it: one id per run and step. */
const step: HandOver = {
  handOverId: 'run-1.hand-over',
  customerId: 'c/1',
  reason: 'no-reaction',
  at: '2026-12-20T09:00:00.000Z',
  conversationUrl: conversationUrlOf('https://api.example.com/', 'c/1'),
  journeyId: 'payment-reminder',
  runId: 'run-1',
  subjectId: 'INV-1',
};

function setup() {
  const repository = new InMemoryRepository();
  const outbox = new HandOverOutbox();
  const handler = (event: HandOver) => handOver({ publisher: outbox, timeline: repository }, event);
  return { repository, outbox, handler };
}

describe('hand-over', () => {
  it('publishes ids and a link to the conversation, and records the hand-over in it', async () => {
    const { repository, outbox, handler } = setup();
    const result = await handler(step);
    expect(outbox.events()).toEqual([result]);
    expect(result).toEqual({
      handOverId: 'run-1.hand-over',
      customerId: 'c/1',
      reason: 'no-reaction',
      at: '2026-12-20T09:00:00.000Z',
      conversationUrl: 'https://api.example.com/customers/c%2F1/conversation',
      journeyId: 'payment-reminder',
      runId: 'run-1',
      subjectId: 'INV-1',
    });
    expect(repository.timeline).toEqual([
      expect.objectContaining({
        kind: 'journey',
        outcome: 'escalated',
        runId: 'run-1',
        id: 'run-1.hand-over',
      }),
    ]);
  });

  it('publishes the same hand-over once when the step is retried', async () => {
    const { outbox, handler } = setup();
    await handler(step);
    await handler(step);
    expect(outbox.events()).toHaveLength(1);
  });
});

describe('EventBridge hand-over publisher', () => {
  const handOver: HandOver = {
    handOverId: 'h-1',
    customerId: 'c-1',
    reason: 'reply',
    at: '2026-12-20T09:00:00.000Z',
    conversationUrl: 'https://api.example.com/customers/c-1/conversation',
  };
  const clientAnswering = (answer: unknown, sent: unknown[] = []) =>
    ({
      send: async (command: { input: unknown }) => {
        sent.push(command.input);
        return answer;
      },
    }) as unknown as EventBridgeClient;

  it('puts the hand-over on the stage bus with klantreis as source', async () => {
    const sent: unknown[] = [];
    await new EventBridgeHandOverPublisher(
      clientAnswering({ FailedEntryCount: 0 }, sent),
      'klantreis-dev-hand-overs',
    ).publish(handOver);
    expect(sent).toEqual([
      {
        Entries: [
          expect.objectContaining({
            EventBusName: 'klantreis-dev-hand-overs',
            Source: 'klantreis',
            DetailType: 'Klantreis Hand-over',
            Detail: JSON.stringify(handOver),
          }),
        ],
      },
    ]);
  });

  it('fails when EventBridge refuses the entry, so the step retries', async () => {
    const publisher = new EventBridgeHandOverPublisher(
      clientAnswering({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }),
      'bus',
    );
    await expect(publisher.publish(handOver)).rejects.toThrow(/InternalFailure/);
  });
});

describe('hand-over links', () => {
  it('link the conversation on the API, and the customer’s console page when the stage has a console', () => {
    expect(handOverLinksOf({ apiBaseUrl: 'https://api.example.com/' }, 'c/1')).toEqual({
      conversationUrl: 'https://api.example.com/customers/c%2F1/conversation',
    });
    expect(
      handOverLinksOf(
        { apiBaseUrl: 'https://api.example.com', consoleBaseUrl: 'https://d111.cloudfront.net/' },
        'c/1',
      ),
    ).toEqual({
      conversationUrl: 'https://api.example.com/customers/c%2F1/conversation',
      consoleUrl: 'https://d111.cloudfront.net/customers/c%2F1',
    });
  });
});
