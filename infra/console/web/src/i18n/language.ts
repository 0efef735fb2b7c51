/** The console's languages; `nl` first: Klantreis's own default. */
export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'klantreis.console.language';

/** The Intl locale that formats dates and amounts in a language. */
export const LOCALE_OF: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language chosen before on this browser, else the browser's first language we speak, else
 * English for a browser that speaks neither (a German or French reader), else Dutch.
 */
export function initialLanguage(
  stored: string | null = readStored(),
  preferred: readonly string[] = navigator.languages,
): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return preferred.length > 0 ? 'en' : 'nl';
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage refused (private mode): the choice lasts this page only.
  }
}
