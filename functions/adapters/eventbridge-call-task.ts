import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CALL_TASK_DETAIL_TYPE, callTaskOf } from '#core/call-task.ts';
import { HAND_OVER_SOURCE } from '#core/hand-over.ts';
import type { CallTaskSender, OutboundCall } from '#core/ports.ts';

/**
 * Puts each call task on the stage's hand-over bus, where a rule queues it for the contact centre.
 * An Amazon Connect outbound campaign is the other shape behind the same port (`docs/phone.md`).
 */
export class EventBridgeCallTaskSender implements CallTaskSender {
  readonly providerName = 'EventBridge';
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;
  readonly #now: () => Date;

  constructor(client: EventBridgeClient, eventBusName: string, now: () => Date) {
    this.#client = client;
    this.#eventBusName = eventBusName;
    this.#now = now;
  }

  async scheduleCall(call: OutboundCall): Promise<{ providerMessageId: string }> {
    const task = callTaskOf(call, this.#now());
    const result = await this.#client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.#eventBusName,
            Source: HAND_OVER_SOURCE,
            DetailType: CALL_TASK_DETAIL_TYPE,
            Time: new Date(task.at),
            Detail: JSON.stringify(task),
          },
        ],
      }),
    );
    // PutEvents answers 200 with per-entry failures: an unqueued call must not count as sent.
    if ((result.FailedEntryCount ?? 0) > 0) {
      const code = result.Entries?.[0]?.ErrorCode ?? 'unknown';
      throw new Error(`call task not queued: ${code}`);
    }
    return { providerMessageId: result.Entries?.[0]?.EventId ?? task.callTaskId };
  }
}
