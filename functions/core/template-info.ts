import * as z from 'zod/mini';
import { CollectionTemplateDataSchema } from './collection-rule.ts';
import { JourneySubjectSchema } from './journey-step.ts';
import { type TextVariant, TextVariantSchema } from './policy.ts';

/** Most SMS parts a template may take when its `template.json` does not say (three parts: 459 GSM-7 characters). */
export const DEFAULT_SMS_MAX_SEGMENTS = 3;

const SegmentLimitSchema = z.number().check(z.int(), z.gte(1), z.lte(10));

/**
 * `templates/<id>/template.json`: what the template is for, its limits, and the sample a journey
 * step would hand it — the preview shows it and validation renders every variant with it.
 */
export const TemplateInfoSchema = z.strictObject({
  description: z.string().check(z.minLength(1)),
  /**
   * Most SMS parts a rendering may take with the sample data; above it validation fails and the send
   * step falls back to the short text. One number for every text variant, or one per variant
   * (`{ "friendly": 1, "firm": 2 }`), which must name every variant the template has.
   */
  smsMaxSegments: z._default(
    z.union([SegmentLimitSchema, z.record(TextVariantSchema, SegmentLimitSchema)]),
    DEFAULT_SMS_MAX_SEGMENTS,
  ),
  sample: z.strictObject({
    /** Only the name is used by templates; the rest of the profile never reaches them. */
    customer: z.strictObject({ given: z.optional(z.string()), family: z.optional(z.string()) }),
    /**
     * The journey's subject as the step passes it (`$.subject`); where templates are read it must be a
     * valid subject of a registered type (`functions/adapters/template-files.ts`).
     */
    subject: JourneySubjectSchema,
    /** A fourteen-day notice's costs and term (`./collection-rule.ts`), for a template that states them. */
    collection: z.optional(CollectionTemplateDataSchema),
  }),
});
export type TemplateInfo = z.infer<typeof TemplateInfoSchema>;

/**
 * Returns the most SMS parts a text variant of the template may take: its own limit when the
 * template sets one per variant, the template's single limit, else the default.
 */
export function smsLimitFor(
  info: Pick<TemplateInfo, 'smsMaxSegments'> | undefined,
  variant?: TextVariant,
): number {
  const limit = info?.smsMaxSegments;
  if (typeof limit === 'number') return limit;
  return (variant === undefined ? undefined : limit?.[variant]) ?? DEFAULT_SMS_MAX_SEGMENTS;
}
