import type * as z from 'zod/mini';
import type { CustomerRunSchema, HoldViewSchema } from '#application/api/console-agent.ts';
import type { ApiClient } from './api-client.ts';
import { segment } from './api-client.ts';
import { customerPath } from './customers.ts';

/** A run of a journey for the customer: where it is, when it wakes next, what holds it. */
export type RunView = z.infer<typeof CustomerRunSchema>;
export type Hold = z.infer<typeof HoldViewSchema>;

export interface CustomerRuns {
  runs: RunView[];
  /** Holds a person put on the customer's messages (a pause of all, a promise on one run). */
  holds: Hold[];
}

export const customerRunsPath = (customerId: string): string => `${customerPath(customerId)}/runs`;

export const stopRun = (api: ApiClient, runId: string, body: unknown) =>
  api.send('POST', `/runs/${segment(runId)}/stop`, body);

export const pauseMessages = (api: ApiClient, customerId: string, body: unknown) =>
  api.send('PUT', `${customerPath(customerId)}/pause`, body);

export const liftPause = (api: ApiClient, customerId: string) =>
  api.send('DELETE', `${customerPath(customerId)}/pause`);

export const recordCallOutcome = (api: ApiClient, customerId: string, body: unknown) =>
  api.send('POST', `${customerPath(customerId)}/call-outcomes`, body);
