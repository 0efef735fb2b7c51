/**
 * Sends one journey step's message, at most once per (run, step), whatever retries, crashes,
 * replays or redeliveries happen; classifies provider failures; keeps to the account's rates.
 *
 * Order of work, and why:
 * 1. Take a token from the channel's per-second budget (account rate). Exhausted: throw
 *    `Klantreis.RateLimited` before claiming anything; the journey retries with backoff and jitter.
 * 2. Claim `(run, step)` with a conditional write. A claim that exists means an earlier attempt
 *    got this far: return what it recorded and send nothing.
 * 3. Re-check the customer at send time (address, suppression, opt-out may have changed since the
 *    plan): a blocked channel ends the step as `skipped` with the reason and the supporting channel.
 * 4. Call the provider. Throttled or server error: the provider answered and did not accept, so the
 *    claim is released and a named error is thrown for the journey's `Retry`. Refused for good
 *    (invalid, opted out at the provider, rejected): recorded as `failed` with the reason and the
 *    supporting channel. No answer at all: treated like the window below.
 * 5. Record the result on the claim, then in the conversation.
 *
 * The window between "provider accepted" (4) and "recorded" (5): if the Lambda dies there (timeout,
 * out of memory, a DynamoDB failure on the record), the claim stays `in-progress` without the
 * provider's message id. The journey's `Retry` (`Klantreis.SendNotRecorded`, `Sandbox.Timedout`,
 * `Lambda.Unknown`) runs the task again; that attempt finds the claim in step 2 and sends nothing,
 * and the step is recorded in the conversation with outcome `unknown`. The customer got exactly one
 * message (or, if the crash came before the provider accepted, none: recoverable by a person, where a
 * duplicate reminder is not). What is lost is the link from provider events to this send: delivery
 * and engagement events for that message find no send record, so the journey treats the step as
 * unknown and takes no outcome-driven fallback for it. Bounces and complaints still suppress the
 * address, because suppression is keyed on the address, not on the send record. The claim outlives
 * any retry: it is kept longer than a Standard execution can live (see DynamoRepository).
 */
import type { Context } from 'aws-lambda';
import { createRepository } from '#adapters/repository-wiring.ts';
import { createSenders } from '#adapters/sender-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import {
  type SendMessageDeps,
  SendMessageInput,
  type SendResult,
  sendStepMessage,
} from '#shared/send-step.ts';

export {
  RenderedMessageInput,
  type SendMessageDeps,
  SendMessageInput,
  type SendResult,
  sendKey,
} from '#shared/send-step.ts';

export function makeHandler(deps: SendMessageDeps) {
  return withObservability(
    async (event: unknown, _context: Context): Promise<SendResult> =>
      sendStepMessage(deps, SendMessageInput.parse(event)),
  );
}

export const handler = wiredOnFirstUse(() => {
  const repository = createRepository();
  return makeHandler({
    customers: repository,
    idempotency: repository,
    timeline: repository,
    suppressions: repository,
    ...createSenders(),
    clock: systemClock,
  });
});
