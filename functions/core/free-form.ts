import * as z from 'zod/mini';

/** The smallest magnitude DynamoDB stores: a number closer to 0 (but not 0) is refused by it. */
const SMALLEST_STORED_MAGNITUDE = 1e-130;

/**
 * A number in free-form data (event `data`, profile `attributes`): stored as sent, so it stays within
 * what JSON and DynamoDB hold exactly — whole numbers up to 2^53 − 1 in size, nothing below 1e-130.
 */
export const FreeFormNumberSchema = z.number().check(
  z.gte(-Number.MAX_SAFE_INTEGER),
  z.lte(Number.MAX_SAFE_INTEGER),
  z.refine(
    (n) => n === 0 || Math.abs(n) >= SMALLEST_STORED_MAGNITUDE,
    'too close to 0: zero, or at least 1e-130 in size',
  ),
  z.describe('A number between -(2^53 − 1) and 2^53 − 1; 0 or at least 1e-130 in size'),
);

/** Free-form values by name: text, a bounded number or a flag. */
export const FreeFormRecordSchema = z.record(
  z.string(),
  z.union([z.string(), FreeFormNumberSchema, z.boolean()]),
);
