/**
 * What a caller may do. A viewer reads; an agent reads and acts on customers; an editor reads and
 * manages experiments and journey config; `system` is a caller authorised by IAM (an integrating
 * system), which keeps every right the API gives it.
 */
export type Role = 'viewer' | 'agent' | 'editor' | 'system';

/** The role a console route needs at least (`console.role` in `catalog.ts`). */
export type ConsoleRole = Exclude<Role, 'system'>;
