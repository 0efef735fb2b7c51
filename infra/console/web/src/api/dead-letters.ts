export type { DeadLetterQueue, DeadLettersResponse } from '#application/api/dead-letters.ts';
export { deadLettersPath } from '#application/api/dead-letters.ts';
