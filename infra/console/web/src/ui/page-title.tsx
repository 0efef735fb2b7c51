import { useEffect, useRef } from 'preact/hooks';

/**
 * The page's one `<h1>`, also the document title. Focused when the page opens, so a screen reader
 * announces where a link led and keyboard focus starts at the content.
 */
export function PageTitle({ children, subtitle }: { children: string; subtitle?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · Klantreis`;
    heading.current?.focus({ preventScroll: true });
  }, [children]);
  return (
    <div class="page-title">
      <h1 ref={heading} tabIndex={-1}>
        {children}
      </h1>
      {subtitle ? <p class="subtitle">{subtitle}</p> : null}
    </div>
  );
}
