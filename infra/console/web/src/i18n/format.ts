import { type Language, LOCALE_OF } from './language.ts';

/** A moment as a person reads it in the UI language: `7 dec 2026 14:05` / `7 Dec 2026, 14:05`. */
export function formatDateTime(iso: string, language: Language, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE_OF[language], {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/** A calendar date (`2026-12-24`) in the UI language, without shifting it through a time zone. */
export function formatDate(isoDate: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate.slice(0, 10));
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(LOCALE_OF[language], { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/**
 * An amount as the API sends it (an exact decimal string) in its currency: `€ 125,50` / `€125.50`.
 * Intl formats the string as the exact decimal it is, never through a rounded double.
 */
export function formatAmount(amount: string | number, currency: string, language: Language): string {
  const value = typeof amount === 'number' ? amount : amount.trim();
  if (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(LOCALE_OF[language], { style: 'currency', currency }).format(
      value as number | `${number}`,
    );
  } catch {
    return `${amount} ${currency}`;
  }
}

/** How long ago, in whole units a person says: `3 hours ago` / `3 uur geleden`. */
export function formatAge(fromIso: string, nowMs: number, language: Language): string {
  const seconds = Math.round((new Date(fromIso).getTime() - nowMs) / 1000);
  if (!Number.isFinite(seconds)) return fromIso;
  const format = new Intl.RelativeTimeFormat(LOCALE_OF[language], { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/**
 * When something happened, with how long ago when it is past: `7 Dec 2026, 09:32 (3 hours ago)`. A
 * moment ahead of this browser's clock (the local runtime's simulated time runs ahead) shows no age.
 */
export function formatWhen(iso: string, nowMs: number, language: Language): string {
  const at = formatDateTime(iso, language);
  return Date.parse(iso) <= nowMs ? `${at} (${formatAge(iso, nowMs, language)})` : at;
}
