import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadPolicy } from '#adapters/policy-file.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { ChannelSchema } from '#core/customer.ts';
import { InvoiceSubjectSchema, JourneyStepSchema } from '#core/journey-step.ts';
import { type Policy, ToneSchema } from '#core/policy.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { type RenderedMessage, renderMessage, type TemplateCatalog } from '#core/render.ts';
import { readEnv } from '#shared/env.ts';
import { CustomerNotFound } from '#shared/errors.ts';
import { wiredOnFirstUse, withObservability } from '#shared/lambda.ts';
import { logger, metrics } from '#shared/powertools.ts';

export const RenderMessageInput = z.object({
  customerId: z.string().min(1),
  step: JourneyStepSchema,
  channel: ChannelSchema,
  tone: ToneSchema,
  subject: InvoiceSubjectSchema,
});

export interface RenderMessageDeps {
  customers: Pick<CustomerRepository, 'getCustomer'>;
  catalog: TemplateCatalog;
  policy: Policy;
  links: { portal: string };
}

export type RenderMessageResult = RenderedMessage & { reasons: string[] };

export function makeHandler(deps: RenderMessageDeps) {
  return withObservability(async (event: unknown, _context: Context): Promise<RenderMessageResult> => {
    const input = RenderMessageInput.parse(event);
    const customer = await deps.customers.getCustomer(input.customerId);
    if (!customer) throw new CustomerNotFound();
    // Only what the templates need: data minimisation also applies to what we hand a template.
    const data = {
      customer: { givenName: customer.name?.given ?? '', familyName: customer.name?.family ?? '' },
      invoice: input.subject,
      links: deps.links,
    };
    const { message, reasons } = renderMessage({
      catalog: deps.catalog,
      templateId: input.step.templateId,
      channel: input.channel,
      locale: customer.locale,
      tone: input.tone,
      data,
      defaultLocale: deps.policy.defaults.locale,
    });
    logger.info('message rendered', {
      templateId: input.step.templateId,
      channel: message.channel,
      locale: message.locale,
    });
    metrics.addMetric('MessagesRendered', 'Count', 1);
    return { ...message, reasons };
  });
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({ PORTAL_URL: z.url().default('https://portal.example.com') });
  return makeHandler({
    customers: createRepository(),
    catalog: loadTemplateCatalog(defaultTemplatesDir()),
    policy: loadPolicy(),
    links: { portal: env.PORTAL_URL },
  });
});
