export type { DeadLetterQueue, DeadLettersResponse } from '#shared/api/dead-letters.ts';
export { deadLettersPath } from '#shared/api/dead-letters.ts';
