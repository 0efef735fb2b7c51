import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Redirect, Route, Switch, useLocation } from 'wouter-preact';
import { createApiClient } from './api/api-client.ts';
import { ApiContext } from './api/api-context.ts';
import { initialLanguage, type Language, rememberLanguage } from './i18n/language.ts';
import { LanguageContext } from './i18n/language-context.ts';
import { Layout } from './layout/layout.tsx';
import { signInMessages } from './pages/sign-in/sign-in.messages.ts';
import { CompleteSignIn, SignInPage } from './pages/sign-in/sign-in-page.tsx';
import { routes } from './routes.ts';
import type { CognitoSession } from './session/cognito-session.ts';
import { type ConsoleConfig, loadConsoleConfig } from './session/console-config.ts';
import { type DevelopmentSession, developmentSession } from './session/development-session.ts';
import { rememberReturnTo, type SignedInUser, takeReturnTo } from './session/session.ts';
import { SessionContext } from './session/session-context.ts';
import { NotFound } from './ui/not-found.tsx';
import { Loading } from './ui/states.tsx';

type Boot =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; config: ConsoleConfig; session: DevelopmentSession | CognitoSession };

function Pages() {
  return (
    <Switch>
      <Route path="/">
        <Redirect to="/customers" replace />
      </Route>
      {routes.map((route) => (
        <Route key={route.path} path={route.path} component={route.page} />
      ))}
      <Route>
        <NotFound />
      </Route>
    </Switch>
  );
}

function SignedInApp({
  config,
  session,
  user,
  onUnauthorized,
  onSignedOut,
}: {
  config: ConsoleConfig;
  session: DevelopmentSession | CognitoSession;
  user: SignedInUser;
  onUnauthorized(): void;
  onSignedOut(): void;
}) {
  const api = useMemo(
    () => createApiClient({ credentialHeaders: () => session.credentialHeaders(), onUnauthorized }),
    [session, onUnauthorized],
  );
  const sessionState = useMemo(
    () => ({
      config,
      user,
      signOut: async () => {
        await session.signOut();
        onSignedOut();
      },
    }),
    [config, user, session, onSignedOut],
  );
  return (
    <SessionContext.Provider value={sessionState}>
      <ApiContext.Provider value={api}>
        <Layout>
          <Pages />
        </Layout>
      </ApiContext.Provider>
    </SessionContext.Provider>
  );
}

export function App() {
  const [language, setLanguageState] = useState<Language>(() => initialLanguage());
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const [user, setUser] = useState<SignedInUser>();
  const [expired, setExpired] = useState(false);
  const [location, navigate] = useLocation();

  const languageState = useMemo(
    () => ({
      language,
      setLanguage: (next: Language) => {
        rememberLanguage(next);
        setLanguageState(next);
      },
    }),
    [language],
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    loadConsoleConfig()
      .then(async (config) => {
        // The OIDC client loads only where Cognito signs people in: the local console never needs it.
        const session =
          config.auth.kind === 'development'
            ? developmentSession(config.auth)
            : (await import('./session/cognito-session.ts')).cognitoSession(config.auth);
        setUser(await session.current());
        setBoot({ status: 'ready', config, session });
      })
      .catch((error: unknown) =>
        setBoot({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
  }, []);

  const onSignedIn = useCallback(
    (signedIn: SignedInUser) => {
      setUser(signedIn);
      setExpired(false);
      navigate(takeReturnTo(), { replace: true });
    },
    [navigate],
  );
  const session = boot.status === 'ready' ? boot.session : undefined;
  const onUnauthorized = useCallback(() => {
    rememberReturnTo(`${window.location.pathname}${window.location.search}`);
    void session?.forget();
    setUser(undefined);
    setExpired(true);
  }, [session]);
  const onSignedOut = useCallback(() => {
    setUser(undefined);
    setExpired(false);
  }, []);

  const signedOut = boot.status === 'ready' && !user;
  useEffect(() => {
    // The address asked for (a hand-over link) is where signing in leads.
    if (signedOut && boot.session.kind === 'development') rememberReturnTo(location);
    if (signedOut && boot.session.kind === 'cognito' && location !== boot.session.redirectPath)
      rememberReturnTo(location);
  }, [signedOut, location, boot]);

  return (
    <LanguageContext.Provider value={languageState}>
      {boot.status === 'loading' ? (
        <main id="main">
          <Loading />
        </main>
      ) : boot.status === 'failed' ? (
        <main id="main">
          <h1>Klantreis</h1>
          <p role="alert">{signInMessages.in(language)('configFailed', { message: boot.message })}</p>
        </main>
      ) : boot.session.kind === 'cognito' && !user && location === boot.session.redirectPath ? (
        <CompleteSignIn session={boot.session} onSignedIn={onSignedIn} />
      ) : !user ? (
        <SignInPage config={boot.config} session={boot.session} expired={expired} onSignedIn={onSignedIn} />
      ) : (
        <SignedInApp
          config={boot.config}
          session={boot.session}
          user={user}
          onUnauthorized={onUnauthorized}
          onSignedOut={onSignedOut}
        />
      )}
    </LanguageContext.Provider>
  );
}
