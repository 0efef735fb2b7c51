import type { Clock } from '#core/ports.ts';

/** The wall clock, for production wiring; tests and the local runtime pass their own `Clock`. */
export const systemClock: Clock = { now: () => new Date() };
