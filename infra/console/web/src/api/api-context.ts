import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiClient, ApiError } from './api-client.ts';

export const ApiContext = createContext<ApiClient | undefined>(undefined);

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside the signed-in app');
  return client;
}

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'not-found' }
  | { status: 'error'; error: ApiError };

/** GETs `path` (none while null), again on `reload()`; a 404 is `not-found`, not an error. */
export function useResource<T>(path: string | null): Resource<T> & { reload(): void } {
  const api = useApi();
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const shownPath = useRef<string | null>(null);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    // A reload keeps what is shown until the new answer arrives, so the page does not jump.
    if (shownPath.current !== path) {
      shownPath.current = path;
      setState({ status: 'loading' });
    }
    api.get<T>(path).then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => {
        if (!live) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
        setState(apiError.status === 404 ? { status: 'not-found' } : { status: 'error', error: apiError });
      },
    );
    return () => {
      live = false;
    };
  }, [api, path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
