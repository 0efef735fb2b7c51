/**
 * The preview gallery: every template × locale × variant × channel rendered with its sample data
 * into static files — an index page with each email (in an iframe, as a mail client shows it),
 * its subject and text part, each SMS with its parts, encoding, price and warnings, and each letter's
 * PDF with its pages drawn as images (pdf.js in the page). Nothing is sent.
 * An SMS is priced per part at the policy's default price of one part, as the console's gallery does.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { loadPolicy } from '#adapters/policy-file.ts';
import { defaultTemplatesDir, loadTemplateCatalog } from '#adapters/template-files.ts';
import { withLetterPdfs } from '#application/templates/letter-pdfs.ts';
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
.letter-pages{display:flex;flex-wrap:wrap;gap:12px}
.pdf-page{max-width:100%;height:auto;border:1px solid #ccc;box-shadow:0 1px 3px #0003;background:#fff}
`;

/** The letters' pages as the partner prints them: drawn by pdf.js, one image (canvas) a page. */
const LETTER_PAGE_WIDTH = 380;

/**
 * What draws the letters in the page: pdf.js (unpdf's serverless build, no worker) bundled into one
 * classic script, as a page opened from a file may not load modules. Each `.letter-pages` gets its pages
 * drawn and `data-drawn` set to their number; `body[data-letters-drawn]` says when all are done.
 */
const DRAW_LETTERS = `
import { drawPdfPages, pdfBytesOf } from './pdf-pages.ts';
const places = [...document.querySelectorAll('.letter-pages[data-pdf]')];
(async () => {
for (const place of places) {
  try {
    const pages = await drawPdfPages(pdfBytesOf(place.dataset.pdf), place, {
      width: ${LETTER_PAGE_WIDTH},
      labelOf: (page, of) => place.dataset.label + ': page ' + page + ' of ' + of,
    });
    place.dataset.drawn = String(pages);
  } catch (error) {
    place.textContent = 'The PDF could not be drawn: ' + error.message;
    place.classList.add('problem');
  }
}
document.body.dataset.lettersDrawn = String(places.length);
})();
`;

/** Returns the script that draws the letters' pages, bundled for the browser. */
async function letterScript(): Promise<string> {
  const result = await build({
    stdin: {
      contents: DRAW_LETTERS,
      resolveDir: join(repoRoot, 'infra/console/web/src/ui'),
      sourcefile: 'draw-letters.js',
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('no letter script bundled');
  return output.text;
}

/** Returns what a letter's page images are called: template, language and variant (and the page, added per page). */
export function letterLabelOf(entry: Pick<PreviewEntry, 'templateId' | 'locale' | 'tone'>): string {
  return `Letter ${entry.templateId}, language ${entry.locale}, variant ${entry.tone}`;
}

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
  if (message.channel === 'letter') {
    const pages = entry.pdf?.pages ?? 0;
    return `${open}${reasons}
<p class="subject"><strong>Subject:</strong> ${escapeHtml(message.subject)}</p>${issueList}
<p class="meta" data-pages="${pages}">${pages} page${pages === 1 ? '' : 's'} A4 · <a href="${escapeHtml(entry.file ?? '')}">PDF</a></p>
<div class="letter-pages" data-label="${escapeHtml(letterLabelOf(entry))}" data-pdf="${Buffer.from(entry.pdf?.bytes ?? []).toString('base64')}"><p>Drawing the letter's pages…</p></div>
<details><summary>Text</summary><pre class="text-part">${escapeHtml(message.text)}</pre></details>
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
  const letters = entries.filter((e) => e.channel === 'letter').length;
  const failures = entries.filter((e) => e.error !== undefined || (e.check?.problems.length ?? 0) > 0).length;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Klantreis template preview</title><style>${STYLE}</style></head>
<body>
<header><h1>Klantreis template preview</h1>
<p>${entries.length} renderings (${emails} emails, ${entries.length - emails - letters} SMS, ${letters} letters) with each template's sample data · ${failures} failing · links as on AWS (${escapeHtml(SAMPLE_LINKS.unsubscribeBase)}) · SMS at ${smsPartPriceUsd} USD a part (the policy's default) · generated ${generatedAt.toISOString()}</p></header>
<main>
${entries.map((entry) => sectionOf(entry, smsPartPriceUsd)).join('\n')}
</main>
<script src="letters/draw-letters.js"></script>
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
  const entries = await withLetterPdfs(
    previewEntries(catalog, options.defaultLocale ?? policy.defaults.locale),
    catalog,
    policy.letterSender,
  );
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'emails'), { recursive: true });
  await mkdir(join(dir, 'letters'), { recursive: true });
  for (const entry of entries) {
    if (entry.message?.channel === 'letter' && entry.pdf) {
      entry.file = `letters/${entry.templateId}--${entry.locale}--${entry.tone}.pdf`;
      await writeFile(join(dir, entry.file), entry.pdf.bytes);
    }
    if (entry.message?.channel !== 'email') continue;
    entry.file = `emails/${entry.templateId}--${entry.locale}--${entry.tone}.html`;
    await writeFile(join(dir, entry.file), entry.message.html);
  }
  await writeFile(join(dir, 'letters', 'draw-letters.js'), await letterScript());
  const index = join(dir, 'index.html');
  await writeFile(index, indexPage(entries, options.now ?? new Date(), policy.channelCosts.sms.default));
  const failures = entries.filter((e) => e.error !== undefined || (e.check?.problems.length ?? 0) > 0).length;
  return { dir, index, entries, failures, smsPartPriceUsd: policy.channelCosts.sms.default };
}

/** Returns the `file://` address of a gallery's index page, to open in a browser. */
export function galleryUrl(gallery: Pick<PreviewGallery, 'index'>): string {
  return pathToFileURL(gallery.index).href;
}
