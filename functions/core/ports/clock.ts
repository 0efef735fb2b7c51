/** The clock the core is handed: it never reads the time itself. */

export interface Clock {
  now(): Date;
}
