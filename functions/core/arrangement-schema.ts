/**
 * A payment arrangement as the invoice's item keeps it: the schema alone, for the subject registry's item
 * schema (every bundle that reads a subject carries it); the rules are in `./arrangement.ts`.
 */
import * as z from 'zod/mini';

export const InstalmentSchema = z.object({
  dueDate: z.iso.date(),
  amount: z.string(),
  /** When `instalment.paid` said it was paid (UTC ISO); absent: open. */
  paidAt: z.optional(z.string()),
});
export type Instalment = z.infer<typeof InstalmentSchema>;

/** The arrangement as the invoice's item keeps it. */
export const ArrangementSchema = z.object({
  arrangementId: z.string(),
  invoiceId: z.string(),
  currency: z.string(),
  graceDays: z.number(),
  agreedAt: z.string(),
  instalments: z.array(InstalmentSchema),
});
export type Arrangement = z.infer<typeof ArrangementSchema>;
