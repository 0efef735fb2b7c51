import type { HandOver } from '#core/hand-over.ts';
import type { HandOverPublisher } from '#core/ports.ts';

/**
 * The local stand-in for the stage's hand-over event bus: keeps every hand-over, in order, for
 * `npm start` to show and tests to assert on. A repeated `handOverId` (a retried step) is kept
 * once, as an EventBridge consumer deduplicating on it would.
 */
export class HandOverOutbox implements HandOverPublisher {
  readonly #events = new Map<string, HandOver>();
  #published = 0;

  async publish(handOver: HandOver): Promise<void> {
    this.#published += 1;
    this.#events.set(handOver.handOverId, structuredClone(handOver));
  }

  /** Events put on the bus, repeats included: what EventBridge bills (the cost model reads it). */
  get published(): number {
    return this.#published;
  }

  /** Returns the hand-overs received so far, oldest first. */
  events(): HandOver[] {
    return [...this.#events.values()];
  }
}
