/**
 * Peeks at a dead-letter queue: its depth, and up to 10 of its messages received with a visibility
 * timeout of 0, so they stay in the queue, visible to whoever redrives them. A dead-letter queue has no
 * redrive policy of its own, so the receive count a peek raises moves nothing.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint } from './client-config.ts';

export interface PeekedQueue {
  depth: number;
  messages: { messageId: string; sentAt?: Date }[];
}

/** Reads a dead-letter queue without taking anything out of it. */
export interface DeadLetterPeek {
  peek(queueUrl: string): Promise<PeekedQueue>;
}

export function createSqsClient(options: ClientOptions = {}): SQSClient {
  return tracer.captureAWSv3Client(new SQSClient(clientConfig(options)));
}

let sqs: SQSClient | undefined;

/** Returns the process-wide SQS client (endpoint from `KLANTREIS_SQS_ENDPOINT`). */
export function sqsClient(): SQSClient {
  sqs ??= createSqsClient({ endpoint: envEndpoint('sqs') });
  return sqs;
}

export class SqsDeadLetterPeek implements DeadLetterPeek {
  readonly #client: SQSClient;
  constructor(client: SQSClient) {
    this.#client = client;
  }

  async peek(queueUrl: string): Promise<PeekedQueue> {
    const attributes = await this.#client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const depth = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
    if (depth === 0) return { depth, messages: [] };
    const received = await this.#client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    const messages = (received.Messages ?? []).map((m) => {
      const sent = Number(m.Attributes?.SentTimestamp);
      return { messageId: m.MessageId ?? '', ...(Number.isFinite(sent) ? { sentAt: new Date(sent) } : {}) };
    });
    return { depth, messages };
  }
}
