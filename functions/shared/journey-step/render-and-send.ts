/**
 * Renders and sends the step's message through the send pipeline (`#shared/send-step.ts`), trying a
 * send the account's rate or the provider refused again within the invocation; still busy, the step
 * waits a few minutes (`Klantreis.NotYet`, `busyDeferral`).
 */
import type { Channel, CustomerProfile } from '#core/customer.ts';
import { NotYet } from '#core/journey-control.ts';
import { busyWakeAt, type MessageStepConfig, type RunJourneyStepInput } from '#core/journey-step-run.ts';
import type { StepPlan } from '#shared/decide-step.ts';
import { ProviderThrottled, RateLimited } from '#shared/errors.ts';
import { metrics } from '#shared/powertools.ts';
import { renderStepMessage } from '#shared/render-step.ts';
import { type SendResult, sendStepMessage } from '#shared/send-step.ts';
import type { RunJourneyStepDeps } from './deps.ts';

/** A send refused because the account's rate or the provider is busy: tried again, then deferred. */
const BUSY_ERRORS = new Set([new RateLimited('email').name, new ProviderThrottled('busy').name]);

/** Returns the deferral of a step whose send found the account's rate or the provider busy. */
export function busyDeferral(input: RunJourneyStepInput, step: MessageStepConfig, now: Date): NotYet {
  metrics.addMetric('SendsDeferredBusy', 'Count', 1);
  return new NotYet(busyWakeAt(`${input.runId}#${step.stepId}`, now));
}

/**
 * Renders and sends the step's message; `busy`: the account's send rate or the provider refused it
 * (throttled) through the tries in this invocation, and nothing was claimed.
 */
export async function renderAndSend(
  deps: RunJourneyStepDeps,
  input: RunJourneyStepInput,
  customer: CustomerProfile,
  plan: StepPlan & { channel: Channel },
): Promise<SendResult | 'busy'> {
  const message = await renderStepMessage(deps, {
    customer,
    step: plan.step,
    channel: plan.channel,
    tone: plan.tone,
    locale: plan.locale,
    subject: input.subject,
  });
  // The profile was read at the start of this invocation: that read is the send-time re-check.
  const send = () =>
    sendStepMessage(
      { ...deps, customers: { getCustomer: async () => customer } },
      {
        runId: input.runId,
        customerId: customer.id,
        step: plan.step,
        channel: plan.channel,
        message:
          message.channel === 'email'
            ? {
                channel: 'email',
                locale: message.locale,
                subject: message.subject,
                html: message.html,
                text: message.text,
                unsubscribeUrl: message.unsubscribeUrl,
              }
            : { channel: 'sms', locale: message.locale, text: message.text },
        fallbacks: plan.fallbacks,
        tone: plan.tone,
      },
    );
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof Error) || !BUSY_ERRORS.has(error.name)) throw error;
      const quick = deps.quickRetries;
      if (!quick || attempt >= quick.attempts) return 'busy';
      // The limiter counts per second: try the next second's budget, jittered so refused sends do not herd.
      const at = deps.clock.now().getTime();
      await quick.pause(1_000 - (at % 1_000) + Math.floor(Math.random() * 250));
    }
  }
}
