/**
 * The step Lambda's side of a `.waitForTaskToken` Task (the payment reminder's read check): the
 * journey passes `"taskToken.$": "$$.Task.Token"`, and the Task goes on only when its token is
 * completed. The step answers it in one of two ways:
 * - nothing to check (no supporting channel, the message went by SMS, skipped, waiting for a slot …):
 *   complete the token at once with the progress it would have returned;
 * - an email whose reading decides what comes next: keep the token and the progress once read on the
 *   email's send record; its feedback completes it (`record-email-feedback`), or nobody does and the
 *   Task times out (`TimeoutSeconds` = the check) into the journey's Catch, which sends the SMS.
 * Feedback that arrived before the token was kept (the handler found nothing to complete) shows on
 * the record the keeping write returns: then the step completes it itself.
 */
import type { JourneyTaskCallbacks, TaskCallbackRepository } from '#core/ports.ts';
import { readCheckCompletionOf } from '#core/task-callback.ts';

export interface TaskTokenStepDeps {
  callbacks: JourneyTaskCallbacks;
  store: TaskCallbackRepository;
}

/** What the step asks of its Task's token. `output` is the Task's result (the step's progress): no personal data. */
export type TokenAnswer =
  | { kind: 'complete'; output: unknown }
  | {
      kind: 'await-read';
      /** The email's send record: `<runId>#<stepId>[#occurrence]` of the customer. */
      customerId: string;
      key: string;
      stepId: string;
      /** The progress once the email is read: the next step, as if the follow-up found it opened. */
      output: unknown;
    };

/**
 * Returns what became of the token: `completed` (now, with the output), `failed` (the email could
 * not be read, known already: the Catch sends the SMS), `awaiting-read` (kept on the send record), or
 * `not-waiting` (the Task no longer waits: its run was stopped, a retry took over).
 */
export async function answerTaskToken(
  deps: TaskTokenStepDeps,
  taskToken: string,
  answer: TokenAnswer,
): Promise<'completed' | 'failed' | 'awaiting-read' | 'not-waiting'> {
  if (answer.kind === 'complete') {
    return (await deps.callbacks.succeed(taskToken, answer.output)) ? 'completed' : 'not-waiting';
  }
  const output = JSON.stringify(answer.output);
  const record = await deps.store.holdTaskCallback(answer.customerId, answer.key, { taskToken, output });
  // No record to keep it on (never the case after a send): nothing could complete it, so go on now.
  const known = record ? readCheckCompletionOf(answer.stepId, record) : { kind: 'succeed' as const };
  if (!known) return 'awaiting-read';
  const done =
    known.kind === 'succeed'
      ? await deps.callbacks.succeed(taskToken, answer.output)
      : await deps.callbacks.fail(taskToken, { error: known.error, cause: known.cause });
  if (record) await deps.store.releaseTaskCallback(answer.customerId, answer.key, taskToken);
  if (!done) return 'not-waiting';
  return known.kind === 'succeed' ? 'completed' : 'failed';
}
