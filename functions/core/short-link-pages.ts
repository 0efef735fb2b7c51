/**
 * The pages behind a short link that does not redirect, in the language of the message it came in
 * (a short link names its message's locale; a code nobody stored has none, so the browser's choice):
 * plain HTML, no scripts, no external resources, as the unsubscribe pages.
 */
import { languageOf } from './locale.ts';
import { escapeHtml, type PageLanguage, page, pageLanguageOf } from './unsubscribe-pages.ts';

const text = {
  nl: {
    unknownTitle: 'Deze link werkt niet',
    unknown: 'Deze link bestaat niet. Controleer of u hem volledig hebt overgenomen uit het bericht.',
    expiredTitle: 'Deze link is verlopen',
    expired: 'Deze link uit ons bericht werkt niet meer. Kijk in uw klantportaal of neem contact met ons op.',
  },
  en: {
    unknownTitle: 'This link does not work',
    unknown: 'This link does not exist. Check that you copied all of it from the message.',
    expiredTitle: 'This link has expired',
    expired: 'This link from our message no longer works. Please look in your customer portal or contact us.',
  },
} satisfies Record<PageLanguage, Record<string, string>>;

/** Returns the page language of a message's locale (`nl-BE` → `nl`); anything but Dutch reads English. */
export function messagePageLanguageOf(locale: string): PageLanguage {
  return languageOf(locale) === 'nl' ? 'nl' : 'en';
}

/** Returns the page for a code that is malformed or not stored, in the browser's language. */
export function unknownShortLinkPage(acceptLanguage: string | undefined): string {
  const language = pageLanguageOf(acceptLanguage);
  const t = text[language];
  return page(language, t.unknownTitle, `<p>${escapeHtml(t.unknown)}</p>`);
}

/** Returns the page for a link past its expiry, in the language of the message it came in. */
export function expiredShortLinkPage(messageLocale: string): string {
  const language = messagePageLanguageOf(messageLocale);
  const t = text[language];
  return page(language, t.expiredTitle, `<p>${escapeHtml(t.expired)}</p>`);
}
