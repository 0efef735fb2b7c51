import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadPolicy } from '#adapters/policy-file.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { secretsManagerUnsubscribeKey } from '#adapters/unsubscribe-key.ts';
import { type Channel, ChannelSchema, type CustomerProfile } from '#core/customer.ts';
import {
  type JourneyStep,
  JourneyStepSchema,
  type JourneySubject,
  JourneySubjectSchema,
} from '#core/journey-step.ts';
import { languageOf } from '#core/locale.ts';
import { type Policy, type Tone, ToneSchema } from '#core/policy.ts';
import type { Clock, CustomerRepository } from '#core/ports.ts';
import { type RenderedMessage, renderMessage, type TemplateCatalog } from '#core/render.ts';
import { displayTimezoneOf, templateDataFor } from '#core/template-data.ts';
import { type UnsubscribeKeySource, unsubscribeLinkFor } from '#core/unsubscribe-token.ts';
import { readEnv } from '#shared/env.ts';
import { CustomerNotFound } from '#shared/errors.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const RenderMessageInput = z.object({
  customerId: z.string().min(1),
  step: JourneyStepSchema,
  channel: ChannelSchema,
  tone: ToneSchema,
  /** The locale the decision picked (segment locale rules applied); the customer's own when absent. */
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .optional(),
  subject: JourneySubjectSchema,
});

/**
 * Returns the locale to render in: the decision's, but the customer's own tag when it is the same
 * language, so amounts and dates keep the customer's region (`nl-BE`: the decision says `nl`).
 */
export function renderLocaleOf(decided: string | undefined, customerLocale: string): string {
  return decided && languageOf(decided) !== languageOf(customerLocale) ? decided : customerLocale;
}

export interface RenderMessageDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  catalog: TemplateCatalog;
  policy: Policy;
  links: { portal: string };
  /** The API's `/unsubscribe` address and the key its links are signed with. */
  unsubscribe: { baseUrl: string; key: UnsubscribeKeySource };
  clock: Clock;
}

/**
 * The rendered message, its reasons, and the signed unsubscribe link it carries (the send step
 * puts it in the `List-Unsubscribe` header of an email).
 */
export type RenderMessageResult = RenderedMessage & { reasons: string[]; unsubscribeUrl: string };

/** Renders a step's message for a customer already read; returns it with its signed unsubscribe link. */
export async function renderStepMessage(
  deps: Omit<RenderMessageDeps, 'customers'>,
  input: {
    customer: CustomerProfile;
    step: JourneyStep;
    channel: Channel;
    tone: Tone;
    locale?: string;
    subject: JourneySubject;
  },
): Promise<RenderMessageResult> {
  const { customer } = input;
  // The link opts out of exactly this channel for this step's purpose.
  const unsubscribeUrl = unsubscribeLinkFor({
    baseUrl: deps.unsubscribe.baseUrl,
    key: await deps.unsubscribe.key(),
    customerId: customer.id,
    channel: input.channel,
    purpose: input.step.purpose,
    now: deps.clock.now(),
  });
  const data = templateDataFor({
    customer,
    subject: input.subject,
    links: { portal: deps.links.portal, unsubscribe: unsubscribeUrl },
  });
  const timezone = displayTimezoneOf(customer, deps.policy);
  const { message, reasons } = renderMessage({
    catalog: deps.catalog,
    templateId: input.step.templateId,
    channel: input.channel,
    locale: renderLocaleOf(input.locale, customer.locale),
    tone: input.tone,
    data: { ...data },
    defaultLocale: deps.policy.defaults.locale,
    timezone,
  });
  logger.info('message rendered', {
    templateId: input.step.templateId,
    channel: message.channel,
    locale: message.locale,
    ...(message.channel === 'sms' ? { smsSegments: message.segments, smsEncoding: message.encoding } : {}),
  });
  metrics.addMetric('MessagesRendered', 'Count', 1);
  if (message.channel === 'sms') metrics.addMetric('SmsSegmentsRendered', 'Count', message.segments);
  return { ...message, reasons, unsubscribeUrl };
}

export function makeHandler(deps: RenderMessageDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<RenderMessageResult> => {
    const input = RenderMessageInput.parse(event);
    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    return renderStepMessage(deps, {
      customer,
      step: input.step,
      channel: input.channel,
      tone: input.tone,
      ...(input.locale ? { locale: input.locale } : {}),
      subject: input.subject,
    });
  });
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    PORTAL_URL: z.url().default('https://portal.example.com'),
    UNSUBSCRIBE_URL: z.url({ protocol: /^https$/ }),
    UNSUBSCRIBE_KEY_SECRET_ARN: z.string().min(1),
  });
  return makeHandler({
    customers: createRepository(),
    catalog: loadTemplateCatalog(defaultTemplatesDir()),
    policy: loadPolicy(),
    links: { portal: env.PORTAL_URL },
    unsubscribe: {
      baseUrl: env.UNSUBSCRIBE_URL,
      key: secretsManagerUnsubscribeKey(env.UNSUBSCRIBE_KEY_SECRET_ARN),
    },
    clock: systemClock,
  });
});
