/**
 * `npm run preview`: renders every template × channel × locale × variant with its sample data
 * into a static gallery under `.local/preview/` (git-ignored) and prints where to open it.
 * Exits 1 when a rendering fails or may not ship, so it doubles as a quick check while writing.
 */
import { galleryUrl, writePreviewGallery } from './preview-gallery.ts';

try {
  const gallery = await writePreviewGallery();
  const count = (channel: string) => gallery.entries.filter((e) => e.channel === channel).length;
  console.log(
    `${gallery.entries.length} renderings (${count('email')} emails, ${count('sms')} SMS, ${count('letter')} letters), ${gallery.failures} failing`,
  );
  for (const entry of gallery.entries) {
    if (entry.channel !== 'sms' || entry.message?.channel !== 'sms') continue;
    const warnings = entry.check?.warnings.length ? `  ⚠ ${entry.check.warnings.join('; ')}` : '';
    console.log(
      `  sms ${entry.templateId}/${entry.locale}/${entry.tone}: ${entry.message.segments} ${entry.message.encoding} part(s), ${Number((entry.message.segments * gallery.smsPartPriceUsd).toPrecision(6))} USD${warnings}`,
    );
  }
  for (const entry of gallery.entries) {
    if (entry.error)
      console.error(`  ✗ ${entry.templateId}/${entry.locale}/${entry.tone} ${entry.channel}: ${entry.error}`);
    for (const problem of entry.check?.problems ?? []) {
      console.error(`  ✗ ${entry.templateId}/${entry.locale}/${entry.tone} ${entry.channel}: ${problem}`);
    }
  }
  console.log(`\nPreview written to ${gallery.index}\nOpen ${galleryUrl(gallery)}`);
  if (gallery.failures > 0) process.exitCode = 1;
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
