import { segment } from './api-client.ts';

export type { SimulatedStep, Simulation } from '#application/api/simulation.ts';

/** The journey planned for one stored customer as it would run if it started now. */
export const simulationPath = (customerId: string, journeyId: string): string =>
  `/customers/${segment(customerId)}/simulation?journey=${encodeURIComponent(journeyId)}`;

/** The console's simulator page for one customer. */
export const simulatorPagePath = (customerId: string): string =>
  `/simulator/${encodeURIComponent(customerId)}`;
