import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './states.tsx';

// biome-ignore lint/suspicious/noExplicitAny: a route's page takes whatever parameters its path names.
export type PageComponent = ComponentType<any>;
export type PageModule = { default: PageComponent };

/** Loads a page's code the first time it opens, so the first load carries only the shell. */
export function lazyPage(load: () => Promise<PageModule>): PageComponent {
  let loaded: PageComponent | undefined;
  return function LazyPage(props: Record<string, unknown>) {
    const [Page, setPage] = useState(() => loaded);
    useEffect(() => {
      if (Page) return;
      let live = true;
      load().then((module) => {
        loaded = module.default;
        if (live) setPage(() => module.default);
      });
      return () => {
        live = false;
      };
    }, [Page]);
    return Page ? <Page {...props} /> : <Loading />;
  };
}
