/**
 * The payment reminder's read check as a callback: the email step's Task waits for its task token
 * (`.waitForTaskToken`, timeout = the check's hours) and the email's feedback completes it. Pure:
 * what the feedback means for the waiting Task, the same rule the follow-up visit applies
 * (`unreadReason`): not delivered → the supporting channel at once; opened or clicked → move on.
 * A complaint completes nothing: the customer is handed to a person and their email opt-out recorded,
 * so no automated SMS is rushed out; the check's timeout decides as it would without a callback.
 */
import type { DeliveryStatus, Engagement } from './ports/timeline.ts';

/** The error a waiting read check fails with when its email cannot be read; the journey's Catch sends the SMS. */
export const EMAIL_NOT_READ = 'Klantreis.EmailNotRead';

export type TaskCallbackCompletion = { kind: 'succeed' } | { kind: 'fail'; error: string; cause: string };

/** Delivery statuses that mean the email never reached the customer. */
const NOT_DELIVERED: ReadonlySet<DeliveryStatus> = new Set(['bounced', 'rejected', 'failed']);

/**
 * Returns how the feedback on a step's email completes the Task waiting for it to be read, or
 * undefined while it may still be read (sent, delivered, delayed) or after a complaint. A delivery
 * failure wins over an engagement; the cause names the step and the status only.
 */
export function readCheckCompletionOf(
  stepId: string,
  outcome: { deliveryStatus?: DeliveryStatus | undefined; engagement?: Engagement | undefined },
): TaskCallbackCompletion | undefined {
  if (outcome.deliveryStatus && NOT_DELIVERED.has(outcome.deliveryStatus)) {
    return {
      kind: 'fail',
      error: EMAIL_NOT_READ,
      cause: `${stepId.replaceAll('-', ' ')} email not delivered (${outcome.deliveryStatus})`,
    };
  }
  if (outcome.engagement) return { kind: 'succeed' };
  return undefined;
}
