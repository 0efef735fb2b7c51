const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The document the frame shows: the rendered HTML when kept, else the text version as sent. */
export function emailDocument(body: { subject?: string; text: string; html?: string }, lang: string): string {
  if (body.html) return body.html;
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><style>body{font:15px/1.5 system-ui,sans-serif;margin:12px;color:#1b1f24}pre{white-space:pre-wrap;font:inherit;margin:0}</style></head><body><pre>${escapeHtml(body.text)}</pre></body></html>`;
}

/**
 * An email as the customer got it, in a frame that runs no script and has no access to the console
 * (`sandbox=""`: an opaque origin, no scripts, no forms, no navigation of the console).
 */
export function EmailFrame({
  body,
  title,
  lang,
}: {
  body: { subject?: string; text: string; html?: string };
  title: string;
  lang: string;
}) {
  return <iframe class="email-body" sandbox="" srcdoc={emailDocument(body, lang)} title={title} />;
}
