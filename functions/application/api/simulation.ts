/**
 * What `GET /customers/{customerId}/simulation?journey=…` answers: the journey planned for one stored
 * customer as it would run if it started now, each message step with its decision and reasons. AWS-free
 * (zod only): the handler and the console's simulator page share it.
 */
import * as z from 'zod/mini';

export const SimulationQuerySchema = z.object({
  journey: z
    .string()
    .check(z.minLength(1), z.describe('A journey id from the catalog, e.g. `payment-reminder`.')),
  subject: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(128),
        z.describe(
          "The id of the customer's stored subject to plan with (an invoice `invoice.created` described): conditions and waits on its dates follow it. Absent: planned as if it had no dates.",
        ),
      ),
  ),
});

export const SimulatedStepSchema = z.object({
  state: z.string().check(z.describe('The state machine state that decides this step.')),
  step: z.string(),
  segment: z.string(),
  channel: z.nullable(z.string()),
  fallbacks: z.array(z.string()),
  sendAt: z.nullable(z.string().check(z.describe('When it would be sent (UTC ISO).'))),
  localSendAt: z.nullable(z.string().check(z.describe("When it would be sent in the customer's time zone."))),
  timezone: z.nullable(z.string()),
  template: z.nullable(z.string()),
  variant: z.nullable(z.string()),
  locale: z.nullable(z.string()),
  decidedAt: z.string(),
  experiment: z.nullable(z.string()),
  arm: z.nullable(z.string()),
  armChange: z.nullable(z.string()),
  skipped: z.nullable(z.string().check(z.describe('Why nothing would be sent, e.g. `contact-pressure`.'))),
  costUsd: z.nullable(
    z
      .number()
      .check(
        z.describe(
          "The message's price in USD (the policy's channel costs: an SMS per part, a letter, a call).",
        ),
      ),
  ),
  reasons: z.array(z.string()),
});
export type SimulatedStep = z.infer<typeof SimulatedStepSchema>;

export const SimulationSchema = z.object({
  customerId: z.string(),
  journeyId: z.string(),
  at: z.string().check(z.describe('When the simulated journey starts: now (UTC ISO).')),
  steps: z.array(SimulatedStepSchema),
  /** Per channel: the messages the plan would send and their price (USD). */
  totals: z.array(z.object({ channel: z.string(), messages: z.number(), costUsd: z.number() })),
  notes: z.array(z.string()),
});
export type Simulation = z.infer<typeof SimulationSchema>;
