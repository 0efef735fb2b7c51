import { useCallback, useState } from 'preact/hooks';

const PREFIX = 'klantreis.console.draft.';

function read<T>(key: string, initial: T): T {
  try {
    const stored = sessionStorage.getItem(PREFIX + key);
    return stored === null ? initial : { ...initial, ...(JSON.parse(stored) as Partial<T>) };
  } catch {
    return initial;
  }
}

/**
 * A form's values, kept in this tab's sessionStorage as they are typed: when the session ends
 * mid-form, signing in again brings the form back as it was. `clear()` after the server accepts it.
 */
export function useDraft<T extends Record<string, string | boolean>>(
  key: string,
  initial: T,
): [T, (change: Partial<T>) => void, () => void] {
  const [values, setValues] = useState<T>(() => read(key, initial));
  const update = useCallback(
    (change: Partial<T>) =>
      setValues((current) => {
        const next = { ...current, ...change };
        try {
          sessionStorage.setItem(PREFIX + key, JSON.stringify(next));
        } catch {
          // Storage refused: the draft lives in memory only.
        }
        return next;
      }),
    [key],
  );
  const clear = useCallback(() => {
    sessionStorage.removeItem(PREFIX + key);
    setValues(initial);
  }, [key, initial]);
  return [values, update, clear];
}
