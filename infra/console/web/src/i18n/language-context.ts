import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language } from './language.ts';

export interface LanguageState {
  language: Language;
  setLanguage(language: Language): void;
}

export const LanguageContext = createContext<LanguageState>({ language: 'nl', setLanguage: () => {} });

export const useLanguage = (): LanguageState => useContext(LanguageContext);
