import type { ComponentChildren } from 'preact';
import { Link, useRoute } from 'wouter-preact';
import { isLanguage, LANGUAGES } from '../i18n/language.ts';
import { useLanguage } from '../i18n/language-context.ts';
import { routes } from '../routes.ts';
import type { Role } from '../session/console-config.ts';
import { useSession } from '../session/session-context.ts';
import { layoutMessages } from './layout.messages.ts';
import { NAV_ORDER, type NavKey, navMessages } from './nav.messages.ts';

const ROLE_LABEL = { viewer: 'roleViewer', agent: 'roleAgent', editor: 'roleEditor' } as const;

/** A viewer's page is for everyone signed in; an agent's or editor's page for that group. */
export function mayOpen(needed: Role | undefined, roles: readonly Role[]): boolean {
  return needed === undefined || needed === 'viewer' || roles.includes(needed);
}

function NavLink({ href, label }: { href: string; label: string }) {
  const [active] = useRoute(`${href}/*?`);
  return (
    <li>
      <Link href={href} aria-current={active ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
}

/** The frame of every signed-in page: skip link, header (stage, user, role, language, sign-out), navigation, main. */
export function Layout({ children }: { children: ComponentChildren }) {
  const t = layoutMessages.useT();
  const nav = navMessages.useT();
  const { language, setLanguage } = useLanguage();
  const { config, user, signOut } = useSession();
  const items = NAV_ORDER.flatMap((key: NavKey) => {
    const route = routes.find((r) => r.nav === key);
    if (!route || !mayOpen(route.role, user.roles)) return [];
    return [{ key, href: route.path }];
  });
  return (
    <>
      <a class="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header class="app-header">
        <div class="brand">
          <Link href="/">{t('appName')}</Link>
          <span class="stage" title={t('stage')}>
            {config.stage}
          </span>
        </div>
        <div class="account">
          <span class="user">
            {t('signedInAs', { name: user.name })}{' '}
            <span class="role">
              (
              {user.roles.length > 0
                ? t('role', { role: user.roles.map((role) => t(ROLE_LABEL[role])).join(', ') })
                : t('noRole')}
              )
            </span>
          </span>
          <label class="language">
            <span class="visually-hidden">{t('language')}</span>
            <select
              value={language}
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (isLanguage(value)) setLanguage(value);
              }}
            >
              {LANGUAGES.map((code) => (
                <option key={code} value={code}>
                  {code === 'nl' ? 'Nederlands' : 'English'}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="secondary" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <nav class="app-nav" aria-label={t('mainNavigation')}>
        <ul>
          {items.map((item) => (
            <NavLink key={item.key} href={item.href} label={nav(item.key)} />
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
