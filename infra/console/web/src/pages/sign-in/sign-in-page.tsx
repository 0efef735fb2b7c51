import { useEffect, useState } from 'preact/hooks';
import type { CognitoSession } from '../../session/cognito-session.ts';
import type { ConsoleConfig } from '../../session/console-config.ts';
import type { DevelopmentSession } from '../../session/development-session.ts';
import type { SignedInUser } from '../../session/session.ts';
import { PageTitle } from '../../ui/page-title.tsx';
import { signInMessages } from './sign-in.messages.ts';

const ROLE_TEXT = { viewer: 'roleViewer', agent: 'roleAgent', editor: 'roleEditor' } as const;

/** Signing in: development users locally, the Cognito hosted page on AWS. */
export function SignInPage({
  config,
  session,
  expired,
  onSignedIn,
}: {
  config: ConsoleConfig;
  session: DevelopmentSession | CognitoSession;
  expired: boolean;
  onSignedIn(user: SignedInUser): void;
}) {
  const t = signInMessages.useT();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <PageTitle>{t('title')}</PageTitle>
      <p>{t('intro', { stage: config.stage })}</p>
      {failure ? <p role="alert">{t('failed', { message: failure })}</p> : null}
      {expired ? (
        <p class="notice" role="status">
          {t('expired')}
        </p>
      ) : null}
      {session.kind === 'development' ? (
        <>
          <p>{t('developmentIntro')}</p>
          <ul class="development-users">
            {session.users.map((user) => (
              <li key={user.name}>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => {
                    setBusy(true);
                    setFailure(undefined);
                    session.signInAs(user.name).then(onSignedIn, (error: unknown) => {
                      setBusy(false);
                      setFailure(error instanceof Error ? error.message : String(error));
                    });
                  }}
                >
                  {t('signInAs', { name: user.name })}
                </button>{' '}
                <span class="hint">{t(ROLE_TEXT[user.role])}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void session.signIn().catch(() => setBusy(false));
          }}
        >
          {busy ? t('signingIn') : t('signInWithCognito')}
        </button>
      )}
    </main>
  );
}

/** The page Cognito redirects back to: exchanges the code (PKCE) for tokens, then goes on. */
export function CompleteSignIn({
  session,
  onSignedIn,
}: {
  session: CognitoSession;
  onSignedIn(user: SignedInUser): void;
}) {
  const t = signInMessages.useT();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    session
      .completeSignIn()
      .then(onSignedIn, (error: unknown) =>
        setFailure(error instanceof Error ? error.message : String(error)),
      );
  }, [session, onSignedIn]);
  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <PageTitle>{t('title')}</PageTitle>
      <p role="status">{failure ? t('failed', { message: failure }) : t('signingIn')}</p>
    </main>
  );
}
