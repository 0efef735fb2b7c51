/**
 * Every decision returns its reasons as data ("sms: preferred by customer"); they are stored
 * in the customer's timeline, so the words must be free of personal data.
 */
export type Reason = string;

export interface Decided<T> {
  value: T;
  reasons: Reason[];
}
