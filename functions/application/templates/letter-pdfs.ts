/**
 * The gallery's letters laid out as posted: each letter rendering of the preview as the PDF the
 * print-and-mail partner gets (`pdf-letter.ts`), to the template's sample customer at a sample address,
 * dated the sample day in the customer's zone, with the invoice's pay details when the subject has them.
 */
import { type LetterSender, letterDateOf, letterPaymentOf } from '#core/letter.ts';
import type { TemplateCatalog } from '#core/render.ts';
import type { PreviewEntry } from './preview-entries.ts';
import { SAMPLE_ADDRESS, SAMPLE_NOW, sampleDataFor } from './samples.ts';

/**
 * Lays out every letter entry that rendered as a PDF (`entry.pdf`); one that does not lay out gets its
 * error instead. Without a sender (the policy's `letterSender`) no letter can be laid out: each says so.
 */
export async function withLetterPdfs(
  entries: PreviewEntry[],
  catalog: TemplateCatalog,
  sender: LetterSender | undefined,
): Promise<PreviewEntry[]> {
  // Loaded when the first gallery is asked for, not when the console's function starts: pdf-lib is most
  // of its bundle, and its start is paid by every console call that lands on a fresh instance.
  const { renderLetterPdf } = await import('#adapters/pdf-letter.ts');
  for (const entry of entries) {
    const message = entry.message;
    if (entry.channel !== 'letter' || message?.channel !== 'letter') continue;
    if (!sender) {
      entry.error = 'the policy has no letterSender: letters cannot be laid out';
      continue;
    }
    try {
      const data = sampleDataFor(catalog, { ...entry, channel: 'letter' }) as unknown as Record<
        string,
        unknown
      >;
      const customer = data.customer as { givenName?: string; familyName?: string } | undefined;
      const payment = letterPaymentOf(data, message.locale);
      const { pdf, pages } = await renderLetterPdf(
        {
          letterId: `${entry.templateId}--${entry.locale}--${entry.tone}`,
          customerId: 'sample',
          runId: 'sample',
          journeyId: 'sample',
          stepId: 'sample',
          templateId: entry.templateId,
          locale: message.locale,
          recordedAt: SAMPLE_NOW.toISOString(),
          date: letterDateOf(SAMPLE_NOW, 'Europe/Amsterdam'),
          recipient: {
            name: [customer?.givenName, customer?.familyName].filter(Boolean).join(' '),
            address: { ...SAMPLE_ADDRESS },
          },
          subject: message.subject,
          text: message.text,
          ...(payment ? { payment } : {}),
        },
        sender,
      );
      entry.pdf = { bytes: pdf, pages };
    } catch (error) {
      entry.error = `letter: ${(error as Error).message}`;
    }
  }
  return entries;
}
