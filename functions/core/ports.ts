/**
 * The small interfaces between the pure core and the outside world, one file per aggregate in
 * `ports/`. Adapters in `functions/adapters/` implement them against AWS (and so against the local
 * emulators); tests implement them in memory. Core modules import the port file they need, never
 * this index, so no port file depends back on a module that uses it.
 */

export type { HandOverPublisher } from './hand-over.ts';
export type * from './ports/clock.ts';
export type * from './ports/customers.ts';
export type * from './ports/executions.ts';
export type * from './ports/holds.ts';
export type * from './ports/inbound-mail.ts';
export type * from './ports/letters.ts';
export type * from './ports/messaging.ts';
export type * from './ports/personal-data.ts';
export type * from './ports/results.ts';
export type * from './ports/runs.ts';
export type * from './ports/sends.ts';
export type * from './ports/short-links.ts';
export type * from './ports/subjects.ts';
export type * from './ports/suppressions.ts';
export type * from './ports/timeline.ts';
