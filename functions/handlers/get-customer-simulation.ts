/**
 * "What would this customer get now?": plans the journey for one stored customer with the simulator's
 * planning (the decision code the journey's steps run), starting now. Sends nothing, changes nothing;
 * suppressions and earlier messages are not read, as in `klantreis simulate`.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { loadPolicy } from '#adapters/policy-file.ts';
import { logger } from '#adapters/powertools.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { type Simulation, SimulationQuerySchema, SimulationSchema } from '#application/api/simulation.ts';
import { type ApiDoc, CustomerIdParams } from '#application/api-doc.ts';
import type { AslDefinition } from '#application/asl.ts';
import { requireRole } from '#application/caller.ts';
import { HttpError, type HttpResult, json, parseParams, respond } from '#application/http.ts';
import { journeyDefinitions } from '#application/journey-definitions.ts';
import { planJourney, plannedStepView } from '#application/journey-plan.ts';
import { wiredOnFirstUse, withObservability } from '#application/lambda.ts';
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
          });
          const simulation: Simulation = {
            customerId,
            journeyId,
            at: at.toISOString(),
            notes: plan.notes,
            steps: plan.steps.map((planned) => ({
              state: planned.state,
              ...plannedStepView(planned),
              reasons: planned.reasons,
            })),
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

export const handler = wiredOnFirstUse(() =>
  makeHandler({ customers: createRepository(), policy: loadPolicy(), clock: systemClock }),
);
