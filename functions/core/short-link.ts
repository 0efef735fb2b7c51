/**
 * Short links for SMS: every link an SMS carries (pay, portal, appointment, survey, unsubscribe) goes
 * out as `<link base>/s/<code>`, a code of 12 base64url characters (72 random bits) that the stage's
 * redirect route resolves to the stored target. A full signed link is ~120 characters, most of an SMS
 * part; a short one is about 35.
 */

/** Characters in a short link's code: 12 base64url characters carry 72 bits. */
export const SHORT_LINK_CODE_LENGTH = 12;

/** The path the redirect route answers under, before the code. */
export const SHORT_LINK_PATH = '/s/';

/** A code as the redirect route accepts it (anything else is a plain 404 without a lookup). */
export const SHORT_LINK_CODE_PATTERN = /^[A-Za-z0-9_-]{12}$/;

/**
 * The base validation, the preview and the simulator count SMS parts with, where no stage is known:
 * as long as a short link domain should be (a longer stage link domain can push a text over its limit,
 * which the send step then handles).
 */
export const PREVIEW_LINK_BASE = 'https://klnt.example';

/** Returns the short link for a code on a link base (`https://go.example.nl`, no trailing slash). */
export function shortLinkUrl(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}${SHORT_LINK_PATH}${code}`;
}

/**
 * Returns the links as an SMS would carry them, each replaced by a short link of the real length
 * with a placeholder code: what counting parts needs where nothing is stored.
 */
export function placeholderShortLinks(
  links: Readonly<Record<string, string>>,
  base: string = PREVIEW_LINK_BASE,
): Record<string, string> {
  return Object.fromEntries(
    Object.keys(links).map((name) => [name, shortLinkUrl(base, 'x'.repeat(SHORT_LINK_CODE_LENGTH))]),
  );
}
