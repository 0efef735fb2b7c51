/** Holds a person put on a customer's messages. */
import type { Hold } from '../hold.ts';

/** Holds a person put on a customer's messages (`hold.ts`): a pause of every run, a hold of one run. */
export interface HoldRepository {
  /** Every hold of the customer (a consistent read), also ended ones not yet removed. */
  listHolds(customerId: string): Promise<Hold[]>;
  /** Stores the hold: the customer's pause, or the hold of `hold.runId`, replacing the one there. */
  putHold(customerId: string, hold: Hold): Promise<void>;
  /** Removes the customer's pause (no `runId`) or the hold of the run; nothing there is fine. */
  removeHold(customerId: string, runId?: string): Promise<void>;
}
