import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { sesClient, snsClient } from '#adapters/aws-clients.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { SesEmailSender } from '#adapters/ses-email-sender.ts';
import { SnsSmsSender } from '#adapters/sns-sms-sender.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { ChannelSchema, type CustomerProfile } from '#core/customer.ts';
import { JourneyStepSchema } from '#core/journey-step.ts';
import type {
  Clock,
  CustomerRepository,
  EmailSender,
  IdempotencyRepository,
  SmsSender,
  TimelineRepository,
} from '#core/ports.ts';
import { readEnv } from '#shared/env.ts';
import { CustomerNotFound } from '#shared/errors.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

const RenderedMessageInput = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('email'),
    locale: z.string(),
    subject: z.string().min(1),
    html: z.string().min(1),
    text: z.string().min(1),
  }),
  z.object({ channel: z.literal('sms'), locale: z.string(), text: z.string().min(1) }),
]);

export const SendMessageInput = z.object({
  runId: z.string().min(1),
  customerId: z.string().min(1),
  step: JourneyStepSchema,
  channel: ChannelSchema,
  message: RenderedMessageInput,
});

export interface SendResult {
  status: 'sent' | 'skipped' | 'in-progress';
  channel: 'email' | 'sms';
  providerMessageId?: string;
  /** True when this call found the step already claimed and sent nothing. */
  duplicate: boolean;
  reason?: string;
}

export interface SendMessageDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  idempotency: IdempotencyRepository;
  timeline: TimelineRepository;
  email: EmailSender;
  sms: SmsSender;
  clock: Clock;
  stage: string;
}

function addressOf(customer: CustomerProfile, channel: 'email' | 'sms'): string | undefined {
  return channel === 'email' ? customer.email : customer.phone;
}

/** One message per journey run and step, whatever retries or replays happen. */
export function sendKey(runId: string, stepId: string): string {
  return `${runId}#${stepId}`;
}

export function makeHandler(deps: SendMessageDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<SendResult> => {
    const input = SendMessageInput.parse(event);
    const { step, message } = input;
    const now = deps.clock.now();
    const key = sendKey(input.runId, step.stepId);

    // Claim before calling the provider: a retry, a replayed execution or a redelivered task finds
    // the claim and returns what was recorded. A crash after the provider accepted but before
    // `completeSend` leaves the claim `in-progress`: we then report it and never send again, because
    // a possibly missing message is recoverable by a person, a duplicate reminder is not.
    const claim = await deps.idempotency.claimSend(input.customerId, key, now);
    if (!claim.claimed) {
      logger.info('send already claimed', {
        runId: input.runId,
        stepId: step.stepId,
        status: claim.existing.status,
      });
      metrics.addMetric('DuplicateSendsPrevented', 'Count', 1);
      return {
        status: claim.existing.status,
        channel: claim.existing.channel ?? input.channel,
        ...(claim.existing.providerMessageId ? { providerMessageId: claim.existing.providerMessageId } : {}),
        duplicate: true,
      };
    }

    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    const to = addressOf(customer, input.channel);
    const base = {
      customerId: customer.id,
      at: now.toISOString(),
      runId: input.runId,
      journeyId: step.journeyId,
      stepId: step.stepId,
      channel: input.channel,
      templateId: step.templateId,
      locale: message.locale,
    };
    if (!to) {
      // The profile changed between planning and sending: end the step with the reason.
      const reason = `${input.channel} dropped: no address on the profile at send time`;
      await deps.idempotency.completeSend(customer.id, {
        key,
        status: 'skipped',
        channel: input.channel,
        at: base.at,
      });
      await deps.timeline.appendTimeline({
        ...base,
        kind: 'message',
        summary: `${step.journeyId}/${step.stepId}: skipped`,
        outcome: 'skipped',
        reasons: [reason],
      });
      return { status: 'skipped', channel: input.channel, duplicate: false, reason };
    }

    const tags = { journey: step.journeyId, step: step.stepId, template: step.templateId, stage: deps.stage };
    const { providerMessageId } =
      message.channel === 'email'
        ? await deps.email.sendEmail({
            to,
            subject: message.subject,
            html: message.html,
            text: message.text,
            tags,
          })
        : await deps.sms.sendSms({
            to,
            text: message.text,
            smsType: step.purpose === 'marketing' ? 'Promotional' : 'Transactional',
          });

    await deps.idempotency.completeSend(customer.id, {
      key,
      status: 'sent',
      channel: input.channel,
      providerMessageId,
      at: base.at,
    });
    await deps.timeline.appendTimeline({
      ...base,
      kind: 'message',
      summary: `${step.journeyId}/${step.stepId}: ${input.channel} sent`,
      outcome: 'sent',
      providerMessageId,
      body:
        message.channel === 'email'
          ? { subject: message.subject, text: message.text }
          : { text: message.text },
    });
    logger.info('message sent', { runId: input.runId, stepId: step.stepId, channel: input.channel });
    metrics.addMetric(input.channel === 'email' ? 'EmailsSent' : 'SmsSent', 'Count', 1);
    return { status: 'sent', channel: input.channel, providerMessageId, duplicate: false };
  });
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    STAGE: z.string().min(1),
    EMAIL_FROM: z.string().min(3),
    SES_CONFIGURATION_SET: z.string().optional(),
    SMS_SENDER_ID: z.string().optional(),
    SMS_ORIGINATION_NUMBER: z.string().optional(),
  });
  const repository = createRepository();
  return makeHandler({
    customers: repository,
    idempotency: repository,
    timeline: repository,
    email: new SesEmailSender(sesClient(), {
      from: env.EMAIL_FROM,
      ...(env.SES_CONFIGURATION_SET ? { configurationSetName: env.SES_CONFIGURATION_SET } : {}),
    }),
    sms: new SnsSmsSender(snsClient(), {
      ...(env.SMS_SENDER_ID ? { senderId: env.SMS_SENDER_ID } : {}),
      ...(env.SMS_ORIGINATION_NUMBER ? { originationNumber: env.SMS_ORIGINATION_NUMBER } : {}),
    }),
    clock: systemClock,
    stage: env.STAGE,
  });
});
