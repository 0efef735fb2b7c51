/**
 * The small pages behind an unsubscribe link, in Dutch or English (the language of the message the
 * link came from, which the token carries; for older tokens without it, the browser's preference):
 * a confirmation with one button (a GET never unsubscribes: mail scanners open links), the
 * result, and a page for a link that is broken or expired. Plain HTML, no scripts, no external
 * resources; every value is escaped.
 */
import type { Channel, Purpose } from './customer.ts';
import type { TokenProblem } from './unsubscribe-token.ts';

export type PageLanguage = 'nl' | 'en';

/** Returns `nl` when the browser prefers Dutch over English, else `en`. */
export function pageLanguageOf(acceptLanguage: string | undefined): PageLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { language: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q) : 1 };
    })
    .filter((l) => l.language === 'nl' || l.language === 'en')
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.language === 'nl' ? 'nl' : 'en';
}

/**
 * Returns the page's language: the message's own (the token's locale) when it is Dutch or English,
 * otherwise the browser's preference: someone who read a Dutch reminder gets a Dutch page, whatever
 * language the browser that opens the link asks for.
 */
export function pageLanguageFor(
  messageLocale: string | undefined,
  acceptLanguage: string | undefined,
): PageLanguage {
  const language = messageLocale?.toLowerCase().split('-')[0];
  return language === 'nl' || language === 'en' ? language : pageLanguageOf(acceptLanguage);
}

const text = {
  nl: {
    channel: { email: 'e-mail', sms: 'sms', letter: 'post', phone: 'telefoon' } satisfies Record<
      Channel,
      string
    >,
    purpose: {
      transactional: 'bevestigingen van wat u aanvraagt',
      service: 'berichten over uw facturen en betalingen',
      marketing: 'nieuws en aanbiedingen',
    } satisfies Record<Purpose, string>,
    confirmTitle: 'Afmelden',
    confirm: (c: string, p: string) => `Wilt u geen ${p} meer per ${c} ontvangen?`,
    button: 'Ja, afmelden',
    doneTitle: 'U bent afgemeld',
    done: (c: string, p: string) => `U ontvangt van ons geen ${p} meer per ${c}. Dat gaat direct in.`,
    invalidTitle: 'Deze link werkt niet',
    invalid: {
      malformed: 'Deze afmeldlink is niet compleet of niet geldig.',
      'bad-signature': 'Deze afmeldlink is niet compleet of niet geldig.',
      expired: 'Deze afmeldlink is verlopen.',
    } satisfies Record<TokenProblem, string>,
    portal: 'U kunt uw berichtvoorkeuren altijd wijzigen in uw klantportaal',
  },
  en: {
    channel: { email: 'email', sms: 'SMS', letter: 'post', phone: 'phone' } satisfies Record<Channel, string>,
    purpose: {
      transactional: 'confirmations of what you ask us for',
      service: 'messages about your invoices and payments',
      marketing: 'news and offers',
    } satisfies Record<Purpose, string>,
    confirmTitle: 'Unsubscribe',
    confirm: (c: string, p: string) => `Stop receiving ${p} by ${c}?`,
    button: 'Yes, unsubscribe',
    doneTitle: 'You are unsubscribed',
    done: (c: string, p: string) =>
      `You will no longer receive ${p} from us by ${c}. This takes effect at once.`,
    invalidTitle: 'This link does not work',
    invalid: {
      malformed: 'This unsubscribe link is incomplete or not valid.',
      'bad-signature': 'This unsubscribe link is incomplete or not valid.',
      expired: 'This unsubscribe link has expired.',
    } satisfies Record<TokenProblem, string>,
    portal: 'You can change your message preferences at any time in your customer portal',
  },
};

/** Returns the text with HTML's special characters escaped. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** Returns a plain page behind a message link: a title and a body of HTML already escaped. */
export function page(language: PageLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:Arial,Helvetica,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;line-height:1.5}button{font-size:1rem;padding:.6rem 1.2rem;background:#0b5cab;color:#fff;border:0;border-radius:4px;cursor:pointer}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

const portalLine = (language: PageLanguage, portalUrl: string) =>
  `<p>${escapeHtml(text[language].portal)}: <a href="${escapeHtml(portalUrl)}">${escapeHtml(portalUrl)}</a>.</p>`;

/**
 * Returns the confirmation page: one button that POSTs `List-Unsubscribe=One-Click` back to the
 * page's own address (token included), the same request a mail client's one-click sends.
 */
export function confirmationPage(
  language: PageLanguage,
  claims: { channel: Channel; purpose: Purpose },
  portalUrl: string,
): string {
  const t = text[language];
  return page(
    language,
    t.confirmTitle,
    `<p>${escapeHtml(t.confirm(t.channel[claims.channel], t.purpose[claims.purpose]))}</p>
<form method="post">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escapeHtml(t.button)}</button>
</form>
${portalLine(language, portalUrl)}`,
  );
}

/** Returns the page shown once the opt-out is recorded. */
export function unsubscribedPage(
  language: PageLanguage,
  claims: { channel: Channel; purpose: Purpose },
  portalUrl: string,
): string {
  const t = text[language];
  return page(
    language,
    t.doneTitle,
    `<p>${escapeHtml(t.done(t.channel[claims.channel], t.purpose[claims.purpose]))}</p>
${portalLine(language, portalUrl)}`,
  );
}

/** Returns the page for a link that is broken, tampered with or expired: the portal is the way out. */
export function invalidLinkPage(language: PageLanguage, problem: TokenProblem, portalUrl: string): string {
  const t = text[language];
  return page(
    language,
    t.invalidTitle,
    `<p>${escapeHtml(t.invalid[problem])}</p>\n${portalLine(language, portalUrl)}`,
  );
}
