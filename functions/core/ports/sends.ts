/** Send records: the idempotency claim of each send, its outcome, provider feedback on it and the journey Task callbacks kept on it. */
import type { Channel } from '../customer.ts';
import type { DeliveryStatus, Engagement } from './timeline.ts';

/** The result of one send, recorded under its idempotency key so a retry returns it instead of sending again. */
export interface SendRecord {
  key: string;
  /**
   * `failed`: the provider refused it for good (the reason says why); `in-progress`: claimed, outcome
   * not recorded; `maybe-sent`: the provider gave no answer once connected, so it may have accepted
   * it: a provider event naming it makes it `sent`, none by `reconcileBy` lets the step send again.
   */
  status: 'in-progress' | 'sent' | 'skipped' | 'failed' | 'maybe-sent';
  channel?: Channel;
  providerMessageId?: string;
  at: string;
  /** Why it was skipped or failed: personal-data free. */
  reason?: string;
  /** The supporting channel the journey should try when this one did not go out. */
  fallback?: Channel;
  /** The provider call this record is about: 1, then 2 after a maybe-sent first went unconfirmed, … (absent: 1). */
  attempt?: number;
  /** A `maybe-sent` send's bound (ISO): no provider event naming it by then → it was not accepted. */
  reconcileBy?: string;
  /** Set by provider feedback, read by journeys (outcome-driven fallback) with a direct GetItem. */
  deliveryStatus?: DeliveryStatus;
  engagement?: Engagement;
}

/** A journey Task's callback, kept with the message it waits on: its task token and the result to complete it with. */
export interface TaskCallbackHold {
  taskToken: string;
  /** The Task's result once the message is read (JSON text): the step's progress. No personal data. */
  output: string;
}

/** A send whose provider answer is missing, as a conditional write expects to find it. */
export interface UnansweredSend {
  status: 'in-progress' | 'maybe-sent';
  attempt: number;
  claimId?: string;
}

export type ClaimResult = { claimed: true; claimId?: string } | { claimed: false; existing: SendRecord };

export interface IdempotencyRepository {
  /** Conditional write: only the first caller for `key` gets `claimed: true`. */
  claimSend(customerId: string, key: string, at: Date): Promise<ClaimResult>;
  completeSend(customerId: string, record: SendRecord): Promise<void>;
  /**
   * Deletes a claim that is still `in-progress` (and, given its `claimId`, still this attempt's), so
   * a retry can send: only for failures where the provider certainly did not accept the message.
   */
  releaseSend(customerId: string, key: string, claimId?: string): Promise<void>;
  /**
   * Replaces a send whose provider answer is missing with `record` (`maybe-sent` with its bound, or
   * `failed` once no event confirmed it), only while it is still as `expected` (status, attempt and,
   * given, the claim); false when something came first: a provider event linked it meanwhile.
   */
  settleUnanswered(customerId: string, record: SendRecord, expected: UnansweredSend): Promise<boolean>;
  /**
   * Claims a `maybe-sent` send again for its next attempt (`attempt` + 1, `in-progress`), only while it
   * is still that attempt's `maybe-sent`: the first caller wins, a linked or retaken one is returned.
   */
  retakeSend(customerId: string, key: string, attempt: number, at: Date): Promise<ClaimResult>;
}

/** Reading a step's send record, e.g. whether its email was opened (run-journey-step's follow-up). */
export interface SendRecordReader {
  /** Returns the send recorded under `key` (`<runId>#<stepId>`), if any. */
  getSend(customerId: string, key: string): Promise<SendRecord | undefined>;
}

/** The callbacks of journey Tasks that wait for a message's feedback, kept on its send record. */
export interface TaskCallbackRepository {
  /**
   * Keeps the callback on the send record `key` and returns the record's feedback as it is then, so
   * feedback that arrived first shows (its handler found no callback to complete). Undefined: no such record.
   */
  holdTaskCallback(
    customerId: string,
    key: string,
    hold: TaskCallbackHold,
  ): Promise<Pick<SendRecord, 'deliveryStatus' | 'engagement'> | undefined>;
  /** Returns the callback kept on the send record `key`, if any (a consistent read). */
  getTaskCallback(customerId: string, key: string): Promise<TaskCallbackHold | undefined>;
  /** Clears the callback once used, only while it is still this token's. */
  releaseTaskCallback(customerId: string, key: string, taskToken: string): Promise<void>;
}

/** A send record found by the provider's message id, with the customer it belongs to. */
export interface LocatedSend {
  customerId: string;
  record: SendRecord;
}

/** Provider feedback (delivery events, opens, clicks) on the send records journeys read. */
export interface DeliveryRepository {
  /** Returns the send with this provider message id, if Klantreis recorded one. */
  findSendByProviderMessageId(providerMessageId: string): Promise<LocatedSend | undefined>;
  /** Returns the send recorded under `key` (a consistent read), if any. */
  getSend(customerId: string, key: string): Promise<SendRecord | undefined>;
  /**
   * Links a provider event to the send attempt it names (`sent`, with the provider's message id),
   * while that attempt is still `in-progress` or `maybe-sent`; returns the record as it is then
   * (undefined: no such record).
   */
  linkSend(
    customerId: string,
    key: string,
    link: { attempt: number; providerMessageId: string },
  ): Promise<SendRecord | undefined>;
  /**
   * Records a delivery status and/or engagement on the send record. An older event never
   * overwrites a newer status, and `opened` never overwrites `clicked`.
   */
  recordDeliveryOutcome(
    customerId: string,
    key: string,
    outcome: { deliveryStatus?: DeliveryStatus; engagement?: Engagement; at: string },
  ): Promise<void>;
}
