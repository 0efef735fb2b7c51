import type { Policy, Segment } from './policy.ts';
import type { Reason } from './reasons.ts';

/** The language subtag of a BCP 47 tag, lower-cased: `nl-BE` -> `nl`. */
export function languageOf(tag: string): string {
  return (tag.split('-')[0] ?? tag).toLowerCase();
}

/**
 * Returns the best available locale for a requested one, with its reasons:
 * an exact match, else the bare language (`nl-BE` -> `nl`), else another region of that language
 * (`nl` -> `nl-NL`), else `fallback`.
 */
export function pickLocale(
  requested: string,
  available: readonly string[],
  fallback: string,
): { locale: string; reasons: Reason[] } {
  const wanted = requested.toLowerCase();
  const exact = available.find((l) => l.toLowerCase() === wanted);
  if (exact) return { locale: exact, reasons: [`locale ${exact}: matches ${requested}`] };

  const language = languageOf(requested);
  const bare = available.find((l) => l.toLowerCase() === language);
  if (bare) return { locale: bare, reasons: [`locale ${bare}: language of ${requested}`] };

  const sibling = available.find((l) => languageOf(l) === language);
  if (sibling) return { locale: sibling, reasons: [`locale ${sibling}: same language as ${requested}`] };

  return {
    locale: fallback,
    reasons: [`locale ${fallback}: default, no ${requested} or ${language} available`],
  };
}

/**
 * Returns the locale to write to this customer in, with reasons: the segment's `locale.use` when
 * it has one, else the customer's locale matched against the policy's locales, falling back to
 * the segment's `locale.fallback`, then the policy default.
 */
export function localeFor(
  customerLocale: string,
  segment: Pick<Segment, 'id' | 'locale'>,
  policy: Pick<Policy, 'defaults'>,
): { locale: string; reasons: Reason[] } {
  const fallback = segment.locale?.fallback ?? policy.defaults.locale;
  const forced = segment.locale?.use;
  if (forced) {
    const picked = pickLocale(forced, policy.defaults.locales, fallback);
    return {
      locale: picked.locale,
      reasons: [`locale ${picked.locale}: segment ${segment.id} writes in ${forced}`],
    };
  }
  return pickLocale(customerLocale, policy.defaults.locales, fallback);
}
