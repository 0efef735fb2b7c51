/**
 * "What would this customer get now?": plans the journey for one stored customer with the simulator's
 * planning (the decision code the journey's steps run), starting now. Sends nothing, changes nothing;
 * suppressions and earlier messages are not read, as in `klantreis simulate`. With a stored subject,
 * each step's SMS is rendered for the customer and priced by its parts, as the step does
 * (`functions/application/sms-length.ts`).
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readEnv } from '#adapters/env.ts';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { type Simulation, SimulationQuerySchema, SimulationSchema } from '#application/api/simulation.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import type { AslDefinition } from '#application/asl.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, json, parseParams, respond } from '#application/http.ts';
import { journeyDefinitions } from '#application/journey-definitions.ts';
import { channelTotals, planJourney, plannedStepView } from '#application/journey-plan.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
import type { SmsLengthDeps } from '#application/sms-length.ts';
import { journeys } from '#catalog/catalog.ts';
import type { Policy } from '#core/policy.ts';
import type { Clock, CustomerRepository } from '#core/ports.ts';

export const apiDoc: ApiDoc = {
  summary: 'What this customer would get now: the journey planned for the stored profile',
  description:
    'Each message step with its channel, time (UTC and the customer’s local time), template and variant, experiment arm and reasons. Sends nothing; suppressions are not read.',
  params: CustomerIdParams,
  query: SimulationQuerySchema,
  responses: {
    200: { description: 'The plan', schema: SimulationSchema },
    400: { description: 'Unknown journey' },
    404: { description: 'No such customer, or no such stored subject' },
  },
};

export interface GetCustomerSimulationDeps {
  customers: Pick<CustomerRepository, 'getCustomer' | 'getSubject'>;
  policy: Policy;
  clock: Clock;
  /**
   * The templates, the stage's short-link base and whether its SMS sender takes replies: each SMS is
   * counted for the customer as the step counts it, so the plan prices its parts and keeps its limit.
   */
  content: Omit<SmsLengthDeps, 'policy'>;
}

export function makeHandler(deps: GetCustomerSimulationDeps) {
  return withObservability(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> =>
      respond(
        async () => {
          requireRole(event, 'viewer');
          const { customerId } = parseParams(event.pathParameters, CustomerIdParams);
          const { journey: journeyId, subject: subjectId } = parseParams(
            event.queryStringParameters,
            SimulationQuerySchema,
          );
          const definition = journeyDefinitions[journeyId];
          if (!definition || !journeys.some((j) => j.id === journeyId)) {
            throw new HttpError(400, 'invalid query parameters', [
              { path: 'journey', message: `unknown journey; known: ${journeys.map((j) => j.id).join(', ')}` },
            ]);
          }
          const customer = await deps.customers.getCustomer(customerId);
          if (!customer) throw new HttpError(404, 'customer not found');
          const subject = subjectId ? await storedSubject(deps, customerId, subjectId) : undefined;
          const at = deps.clock.now();
          const plan = planJourney({
            journeyId,
            definition: definition as AslDefinition,
            customer,
            policy: deps.policy,
            at,
            subject,
            content: deps.content,
          });
          const steps = plan.steps.map((planned) => ({
            state: planned.state,
            ...plannedStepView(planned),
            reasons: planned.reasons,
          }));
          const simulation: Simulation = {
            customerId,
            journeyId,
            at: at.toISOString(),
            notes: plan.notes,
            steps,
            totals: channelTotals(steps),
          };
          return json(200, simulation);
        },
        (error) => logger.error('get-customer-simulation failed', { error }),
      ),
  );
}

/**
 * Returns the stored subject as a run would carry it, for planning with its dates: the invoice as
 * `invoice.created` described it, an appointment's start as last told. 404 when none is stored.
 */
async function storedSubject(
  deps: Pick<GetCustomerSimulationDeps, 'customers'>,
  customerId: string,
  subjectId: string,
): Promise<object> {
  const stored = await deps.customers.getSubject(customerId, subjectId);
  if (!stored) throw new HttpError(404, 'subject not found');
  if (stored.invoice) return stored.invoice;
  return { id: subjectId, ...(stored.startsAt ? { type: 'appointment', startsAt: stored.startsAt } : {}) };
}

export const handler = wiredOnFirstUse(() => {
  const env = readEnv({
    // The stage's link domain or the API's own address, as the journey step's SMS links go out under.
    SHORT_LINK_BASE: z.optional(z.url({ protocol: /^https$/ })),
    // The stage's SMS sender takes replies: an SMS may offer "reply STOP" (the policy's smsOptOut).
    SMS_TWO_WAY: z.optional(z.literal('true')),
  });
  return makeHandler({
    customers: createRepository(),
    policy: loadPolicy(),
    clock: systemClock,
    content: {
      catalog: loadTemplateCatalog(defaultTemplatesDir()),
      ...(env.SHORT_LINK_BASE ? { smsLinkBase: env.SHORT_LINK_BASE } : {}),
      smsTwoWay: env.SMS_TWO_WAY === 'true',
    },
  });
});
