import type { OperationsRunsResponse } from '#application/api/operations.ts';
import { segment } from './api-client.ts';

export type { JourneyState, JourneysResponse, JourneyView } from '#application/api/journeys.ts';
export type { OperationsRun, OperationsRunsResponse } from '#application/api/operations.ts';
export type { ArmReport, ExperimentReport, FunnelGroup, ResultsReport } from '#core/results-report-schema.ts';

export const journeysPath = '/journeys';

/** The UTC day `days` before today (0: today), YYYY-MM-DD. */
export function dayBefore(days: number, now = Date.now()): string {
  return new Date(now - days * 86_400_000).toISOString().slice(0, 10);
}

/** The results of a journey over the last `days` days, today included, grouped by `by`. */
export function resultsPath(journeyId: string, days: number, by = 'step', now = Date.now()): string {
  return `/journeys/${segment(journeyId)}/results?from=${dayBefore(days - 1, now)}&to=${dayBefore(0, now)}&by=${by}`;
}

export const operationsRunsPath = (status: OperationsRunsResponse['status']): string =>
  `/operations/runs?status=${status}`;
