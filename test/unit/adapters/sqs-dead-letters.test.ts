import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsDeadLetterPeek } from '#adapters/sqs-dead-letters.ts';

function fakeSqs(depth: number) {
  const sent: unknown[] = [];
  const client = {
    async send(command: unknown) {
      sent.push(command);
      if (command instanceof GetQueueAttributesCommand)
        return { Attributes: { ApproximateNumberOfMessages: String(depth) } };
      if (command instanceof ReceiveMessageCommand)
        return {
          Messages: [{ MessageId: 'm-1', Body: 'kept out', Attributes: { SentTimestamp: '1764583200000' } }],
        };
      throw new Error(`unexpected ${String(command)}`);
    },
  };
  return { client: client as unknown as SQSClient, sent };
}

describe('SqsDeadLetterPeek', () => {
  it('receives with a visibility timeout of 0, so the messages stay visible in the queue', async () => {
    const { client, sent } = fakeSqs(3);
    const peeked = await new SqsDeadLetterPeek(client).peek('https://sqs/q');
    expect(peeked).toEqual({ depth: 3, messages: [{ messageId: 'm-1', sentAt: new Date(1764583200000) }] });
    const receive = sent.find((c) => c instanceof ReceiveMessageCommand) as ReceiveMessageCommand;
    expect(receive.input).toMatchObject({
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MaxNumberOfMessages: 10,
    });
    expect(sent.map((c) => (c as object).constructor.name)).toEqual([
      'GetQueueAttributesCommand',
      'ReceiveMessageCommand',
    ]);
  });

  it('does not receive from an empty queue', async () => {
    const { client, sent } = fakeSqs(0);
    expect(await new SqsDeadLetterPeek(client).peek('https://sqs/q')).toEqual({ depth: 0, messages: [] });
    expect(sent).toHaveLength(1);
  });
});
