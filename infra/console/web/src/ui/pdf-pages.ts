/**
 * Draws a PDF's pages on canvases in the page, with pdf.js (the serverless build unpdf ships: no worker,
 * no font or data: URL to load), so a letter is seen as the partner prints it. Each canvas is an image
 * (`role="img"`) named by `labelOf(page, pages)`. Shared by the console's template gallery and the
 * preview gallery (bundled there on its own by `npm run preview`).
 */
import { getDocumentProxy } from 'unpdf';

/** Returns the PDF's bytes from base64 (how the gallery carries it in JSON and HTML). */
export function pdfBytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Draws every page of the PDF into `container` (replacing what it held), each `width` CSS pixels wide
 * and sharp on the screen's pixel ratio; returns the number of pages.
 */
export async function drawPdfPages(
  pdf: Uint8Array,
  container: HTMLElement,
  options: { width: number; labelOf: (page: number, pages: number) => string },
): Promise<number> {
  const document = await getDocumentProxy(pdf);
  try {
    const canvases: HTMLCanvasElement[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const unscaled = page.getViewport({ scale: 1 });
      const ratio = globalThis.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: (options.width / unscaled.width) * ratio });
      const canvas = container.ownerDocument.createElement('canvas');
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      canvas.style.width = `${options.width}px`;
      canvas.style.aspectRatio = `${unscaled.width} / ${unscaled.height}`;
      canvas.className = 'pdf-page';
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', options.labelOf(number, document.numPages));
      canvas.dataset.page = String(number);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d canvas context');
      await page.render({ canvas, canvasContext: context, viewport }).promise;
      canvases.push(canvas);
    }
    container.replaceChildren(...canvases);
    return document.numPages;
  } finally {
    await document.loadingTask.destroy();
  }
}
