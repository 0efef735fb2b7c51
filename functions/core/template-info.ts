import * as z from 'zod/mini';
import { JourneySubjectSchema } from './journey-step.ts';

/** Most SMS parts a template may take when its `template.json` does not say (three parts: 459 GSM-7 characters). */
export const DEFAULT_SMS_MAX_SEGMENTS = 3;

/**
 * `templates/<id>/template.json`: what the template is for, its limits, and the sample a journey
 * step would hand it — the preview shows it and validation renders every variant with it.
 */
export const TemplateInfoSchema = z.strictObject({
  description: z.string().check(z.minLength(1)),
  /** Most SMS parts a rendering may take with the sample data; above it validation fails. */
  smsMaxSegments: z._default(z.number().check(z.int(), z.gte(1), z.lte(10)), DEFAULT_SMS_MAX_SEGMENTS),
  sample: z.strictObject({
    /** Only the name is used by templates; the rest of the profile never reaches them. */
    customer: z.strictObject({ given: z.optional(z.string()), family: z.optional(z.string()) }),
    /**
     * The journey's subject as the step passes it (`$.subject`); where templates are read it must be a
     * valid subject of a registered type (`functions/adapters/template-files.ts`).
     */
    subject: JourneySubjectSchema,
  }),
});
export type TemplateInfo = z.infer<typeof TemplateInfoSchema>;
