/**
 * What `GET /templates/gallery` answers: every template × locale × variant × channel rendered with its
 * sample data, as the preview gallery renders it, each SMS with its parts and price, each letter as its PDF. AWS-free (zod only):
 * the handler and the console's template page share it.
 */
import * as z from 'zod/mini';

export const GallerySmsSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  parts: z.number().check(z.describe('Parts the SMS is sent in; carriers bill each part.')),
  length: z.number().check(z.describe('Septets (GSM-7) or UTF-16 code units (UCS-2).')),
  perPart: z.number().check(z.describe('Room in one part of this message.')),
  priceUsd: z
    .number()
    .check(
      z.describe("The parts times the policy's default price of one SMS part (`channelCosts.sms.default`)."),
    ),
});

export const GalleryEntrySchema = z.object({
  templateId: z.string(),
  locale: z.string(),
  variant: z
    .string()
    .check(z.describe('A tone (`friendly`, `firm`) or a named variant an experiment picks.')),
  channel: z.enum(['email', 'sms', 'letter']),
  subject: z.optional(z.string()),
  html: z.optional(z.string().check(z.describe('The email as sent; shown in a sandboxed frame.'))),
  text: z.optional(z.string()),
  sms: z.optional(GallerySmsSchema),
  letter: z.optional(
    z.object({
      pdf: z.string().check(z.describe('The letter as posted: an A4 PDF, base64.')),
      pages: z.number(),
    }),
  ),
  reasons: z.array(z.string()),
  problems: z
    .array(z.string())
    .check(z.describe('Why it may not ship (too many SMS parts, a missing link).')),
  warnings: z.array(z.string()),
  error: z.optional(z.string().check(z.describe('Set when the rendering failed, naming the part.'))),
});
export type GalleryEntry = z.infer<typeof GalleryEntrySchema>;

export const TemplateGallerySchema = z.object({
  entries: z.array(GalleryEntrySchema),
  smsPartPriceUsd: z.object({
    default: z.number(),
    byCountry: z.record(z.string(), z.number()),
  }),
  costsSource: z.optional(z.string()),
});
export type TemplateGallery = z.infer<typeof TemplateGallerySchema>;

export const templateGalleryPath = '/templates/gallery';
