/**
 * What the operators' routes take and answer: failed and long-waiting runs, each with a link to its
 * execution. AWS-free (zod only): the handler and the console's Operations page share it.
 */
import * as z from 'zod/mini';

export const OperationsRunsQuerySchema = z.object({
  status: z
    .enum(['failed', 'waiting-long'])
    .check(
      z.describe(
        '`failed`: runs that failed or timed out lately; `waiting-long`: running runs whose next wake is overdue.',
      ),
    ),
  overdueMinutes: z
    ._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_080)), 30)
    .check(z.describe('waiting-long: how many minutes past its wake a run must be (default 30).')),
  days: z
    ._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(30)), 7)
    .check(z.describe('failed: how many days back, today included (default 7, at most 30).')),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
});
export type OperationsRunsQuery = z.infer<typeof OperationsRunsQuerySchema>;

export const OperationsRunSchema = z.object({
  runId: z.string(),
  journeyId: z.string(),
  customerId: z.string(),
  status: z.string(),
  state: z.optional(z.string().check(z.describe('The state the run waits in (running runs).'))),
  nextWakeAt: z.optional(z.string()),
  overdueMinutes: z.optional(z.number()),
  endedAt: z.optional(z.string()),
  executionUrl: z.nullable(
    z
      .string()
      .check(z.describe('The execution in the Step Functions console on AWS; the run’s API page locally.')),
  ),
});
export type OperationsRun = z.infer<typeof OperationsRunSchema>;

export const OperationsRunsResponseSchema = z.object({
  status: z.enum(['failed', 'waiting-long']),
  runs: z.array(OperationsRunSchema),
  checkedAt: z.string(),
});
export type OperationsRunsResponse = z.infer<typeof OperationsRunsResponseSchema>;
