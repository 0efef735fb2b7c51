/**
 * The preview gallery: every template × locale × variant × channel rendered with its sample data
 * into static files — an index page with each email (in an iframe, as a mail client shows it),
 * its subject and text part, and each SMS with its parts, encoding, price and warnings. Nothing is sent.
 * An SMS is priced per part at the policy's default price of one part, as the console's gallery does.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { type PreviewEntry, previewEntries } from '#application/templates/preview-entries.ts';
import { SAMPLE_LINKS } from '#application/templates/samples.ts';
import { caseName } from '#core/content-check.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { escapeHtml } from '#core/unsubscribe-pages.ts';
import { repoRoot } from '../constructs/repo-root.ts';
import { compileTemplates } from './compile-templates.ts';

export { type PreviewEntry, previewEntries };

export const DEFAULT_PREVIEW_DIR = join(repoRoot, '.local', 'preview');

export interface PreviewGallery {
  dir: string;
  index: string;
  entries: PreviewEntry[];
  /** Renderings that failed or may not ship. */
  failures: number;
  /** The price of one SMS part the gallery shows: the policy's default. */
  smsPartPriceUsd: number;
}

const STYLE = `
body{font-family:Arial,Helvetica,sans-serif;margin:0;background:#f3f4f6;color:#222}
header{background:#0b5cab;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px;display:grid;gap:16px}
section{background:#fff;border-radius:6px;padding:16px;box-shadow:0 1px 2px #0002}
section.failed{border-left:6px solid #b00020}
h2{margin:0 0 8px;font-size:16px}.meta{color:#555;font-size:13px;margin:4px 0}
iframe{width:100%;height:640px;border:1px solid #ddd;border-radius:4px;background:#fff}
pre{white-space:pre-wrap;background:#f8f8f8;padding:8px;border-radius:4px;font-size:13px}
.sms pre{max-width:360px;background:#e7f0ff}
.problem{color:#b00020}.warning{color:#8a5300}
`;

/** Returns the section of one rendering in the index page; an SMS priced at `smsPartPriceUsd` a part. */
function sectionOf(entry: PreviewEntry, smsPartPriceUsd: number): string {
  const name = caseName(entry);
  const id = `${entry.templateId}--${entry.locale}--${entry.tone}--${entry.channel}`;
  const data = `id="${escapeHtml(id)}" data-template="${escapeHtml(entry.templateId)}" data-locale="${escapeHtml(entry.locale)}" data-variant="${entry.tone}" data-channel="${entry.channel}"`;
  const issues = [
    ...(entry.check?.problems ?? []).map((p) => `<li class="problem">${escapeHtml(p)}</li>`),
    ...(entry.check?.warnings ?? []).map((w) => `<li class="warning">${escapeHtml(w)}</li>`),
  ];
  const issueList = issues.length > 0 ? `<ul class="issues">${issues.join('')}</ul>` : '';
  const failed = entry.error !== undefined || (entry.check?.problems.length ?? 0) > 0;
  const open = `<section class="${entry.channel}${failed ? ' failed' : ''}" ${data}><h2>${escapeHtml(name)}</h2>`;
  if (entry.error !== undefined || !entry.message) {
    return `${open}<p class="problem render-error">Does not render: ${escapeHtml(entry.error ?? 'unknown error')}</p></section>`;
  }
  const reasons = `<p class="meta">${escapeHtml((entry.reasons ?? []).join(' · '))}</p>`;
  const message = entry.message;
  if (message.channel === 'email') {
    return `${open}${reasons}
<p class="subject"><strong>Subject:</strong> ${escapeHtml(message.subject)}</p>${issueList}
<iframe src="${escapeHtml(entry.file ?? '')}" title="${escapeHtml(name)}" loading="eager"></iframe>
<details><summary>Text part</summary><pre class="text-part">${escapeHtml(message.text)}</pre></details>
</section>`;
  }
  const sms = smsEncodingOf(message.text);
  const price = Number((sms.segments * smsPartPriceUsd).toPrecision(6));
  const limit = `${sms.segments} part${sms.segments === 1 ? '' : 's'} · ${price} USD · ${sms.encoding} · ${sms.length} of ${sms.segments * sms.perSegment} ${sms.encoding === 'GSM-7' ? 'septets' : 'characters'}`;
  return `${open}${reasons}
<p class="segments" data-segments="${sms.segments}" data-price-usd="${price}" data-encoding="${sms.encoding}">${escapeHtml(limit)}</p>${issueList}
<pre class="sms-text">${escapeHtml(message.text)}</pre>
</section>`;
}

/** Returns the gallery's index page, each SMS priced at `smsPartPriceUsd` a part. */
export function indexPage(entries: PreviewEntry[], generatedAt: Date, smsPartPriceUsd: number): string {
  const emails = entries.filter((e) => e.channel === 'email').length;
  const failures = entries.filter((e) => e.error !== undefined || (e.check?.problems.length ?? 0) > 0).length;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Klantreis template preview</title><style>${STYLE}</style></head>
<body>
<header><h1>Klantreis template preview</h1>
<p>${entries.length} renderings (${emails} emails, ${entries.length - emails} SMS) with each template's sample data · ${failures} failing · links as on AWS (${escapeHtml(SAMPLE_LINKS.unsubscribeBase)}) · SMS at ${smsPartPriceUsd} USD a part (the policy's default) · generated ${generatedAt.toISOString()}</p></header>
<main>
${entries.map((entry) => sectionOf(entry, smsPartPriceUsd)).join('\n')}
</main>
</body>
</html>
`;
}

/** Compiles the templates, renders every variant and writes the gallery to `dir` (replacing it); returns where. */
export async function writePreviewGallery(
  options: { dir?: string; templatesDir?: string; defaultLocale?: string; now?: Date } = {},
): Promise<PreviewGallery> {
  const dir = options.dir ?? DEFAULT_PREVIEW_DIR;
  if (!options.templatesDir) await compileTemplates();
  const catalog = loadTemplateCatalog(options.templatesDir ?? defaultTemplatesDir());
  const policy = loadPolicy();
  const entries = previewEntries(catalog, options.defaultLocale ?? policy.defaults.locale);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'emails'), { recursive: true });
  for (const entry of entries) {
    if (entry.message?.channel !== 'email') continue;
    entry.file = `emails/${entry.templateId}--${entry.locale}--${entry.tone}.html`;
    await writeFile(join(dir, entry.file), entry.message.html);
  }
  const index = join(dir, 'index.html');
  await writeFile(index, indexPage(entries, options.now ?? new Date(), policy.channelCosts.sms.default));
  const failures = entries.filter((e) => e.error !== undefined || (e.check?.problems.length ?? 0) > 0).length;
  return { dir, index, entries, failures, smsPartPriceUsd: policy.channelCosts.sms.default };
}

/** Returns the `file://` address of a gallery's index page, to open in a browser. */
export function galleryUrl(gallery: Pick<PreviewGallery, 'index'>): string {
  return pathToFileURL(gallery.index).href;
}
