import type { Language } from './language.ts';
import { useLanguage } from './language-context.ts';

export type Vars = Record<string, string | number>;
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/** A catalogue of one page or area: the same keys in every language (the compiler and a test check it). */
export interface Messages<K extends string> {
  readonly catalogue: { readonly [L in Language]: Readonly<Record<K, string>> };
  /** The translate function in the current UI language. */
  useT(): Translate<K>;
  /** The same, outside components. */
  in(language: Language): Translate<K>;
}

/** Fills `{name}` placeholders; a missing one stays visible rather than vanishing. */
export function interpolate(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/**
 * Declares a page's or area's messages in a `*.messages.ts` file beside it. One file per area keeps
 * parallel work on pages free of conflicts in a shared catalogue.
 */
export function defineMessages<const E extends Record<string, string>>(catalogue: {
  en: E;
  nl: { [K in keyof E]: string };
}): Messages<keyof E & string> {
  type K = keyof E & string;
  const translate =
    (language: Language): Translate<K> =>
    (key, vars) =>
      interpolate((catalogue[language] as Record<K, string>)[key], vars);
  return {
    catalogue: catalogue as Messages<K>['catalogue'],
    useT: () => translate(useLanguage().language),
    in: translate,
  };
}
