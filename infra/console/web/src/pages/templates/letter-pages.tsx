import { useEffect, useRef, useState } from 'preact/hooks';

/** Width of a drawn page: an A4 page readable beside the others on a laptop. */
const PAGE_WIDTH = 380;

/**
 * A letter's PDF with its pages drawn as images (canvases named by `labelOf`), by pdf.js loaded only
 * when a letter is shown: the console's first load stays without it.
 */
export function LetterPages({
  pdf,
  labelOf,
  drawing,
  failed,
}: {
  /** The PDF, base64. */
  pdf: string;
  labelOf: (page: number, pages: number) => string;
  drawing: string;
  failed: (error: string) => string;
}) {
  // The canvases are drawn into an element Preact leaves empty, so a re-render never touches them.
  const place = useRef<HTMLDivElement>(null);
  const label = useRef(labelOf);
  label.current = labelOf;
  const [state, setState] = useState<{ drawn?: number; error?: string }>({});
  useEffect(() => {
    let current = true;
    const container = place.current;
    if (!container) return;
    import('../../ui/pdf-pages.ts')
      .then(({ drawPdfPages, pdfBytesOf }) =>
        drawPdfPages(pdfBytesOf(pdf), container, {
          width: PAGE_WIDTH,
          labelOf: (page, pages) => label.current(page, pages),
        }),
      )
      .then((drawn) => current && setState({ drawn }))
      .catch((error: Error) => current && setState({ error: error.message }));
    return () => {
      current = false;
    };
  }, [pdf]);
  return (
    <>
      {state.drawn === undefined && state.error === undefined ? <p class="muted">{drawing}</p> : null}
      <div class="letter-pages" ref={place} data-drawn={state.drawn} />
      {state.error !== undefined ? <p class="error">{failed(state.error)}</p> : null}
    </>
  );
}
