import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { HAND_OVER_DETAIL_TYPE, HAND_OVER_SOURCE, type HandOver } from '#core/hand-over.ts';
import { type HandOverStore, storedAndPublished } from '#core/hand-over-desk.ts';
import type { HandOverPublisher } from '#core/ports.ts';

/** Puts each hand-over on the stage's event bus, for a contact-centre or collections system's rule. */
export class EventBridgeHandOverPublisher implements HandOverPublisher {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;

  constructor(client: EventBridgeClient, eventBusName: string) {
    this.#client = client;
    this.#eventBusName = eventBusName;
  }

  async publish(handOver: HandOver): Promise<void> {
    const result = await this.#client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.#eventBusName,
            Source: HAND_OVER_SOURCE,
            DetailType: HAND_OVER_DETAIL_TYPE,
            Time: new Date(handOver.at),
            Detail: JSON.stringify(handOver),
          },
        ],
      }),
    );
    // PutEvents answers 200 with per-entry failures: an unpublished hand-over must fail the step.
    if ((result.FailedEntryCount ?? 0) > 0) {
      const code = result.Entries?.[0]?.ErrorCode ?? 'unknown';
      throw new Error(`hand-over not published: ${code}`);
    }
  }
}

/**
 * How a handler hands a customer over on AWS: the open record stored, then the event on the stage's
 * hand-over bus (`storedAndPublished`), with the API's URL for the link to the conversation.
 */
export function handOversOnBus(
  store: Pick<HandOverStore, 'openHandOver'>,
  client: EventBridgeClient,
  env: { HAND_OVER_BUS_NAME: string; API_URL: string },
): { publisher: HandOverPublisher; apiBaseUrl: string } {
  return {
    publisher: storedAndPublished(store, new EventBridgeHandOverPublisher(client, env.HAND_OVER_BUS_NAME)),
    apiBaseUrl: env.API_URL,
  };
}
