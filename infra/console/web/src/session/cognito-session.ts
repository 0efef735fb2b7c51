import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { type CognitoAuth, rolesOf } from './console-config.ts';
import type { SessionProvider, SignedInUser } from './session.ts';

export interface CognitoSession extends SessionProvider {
  readonly kind: 'cognito';
  /** Sends the browser to the Cognito hosted sign-in (authorization code with PKCE). */
  signIn(): Promise<void>;
  /** Finishes the sign-in on the redirect path; returns the user. */
  completeSignIn(): Promise<SignedInUser>;
  readonly redirectPath: string;
}

function userOf(profile: Record<string, unknown>): SignedInUser {
  const groups = profile['cognito:groups'];
  const name = profile['cognito:username'] ?? profile.preferred_username ?? profile.sub;
  return {
    name: typeof name === 'string' ? name : 'signed in',
    roles: rolesOf(Array.isArray(groups) ? groups : []),
  };
}

/** Sign-in through the stage's Cognito user pool: code + PKCE, tokens kept in this tab only. */
export function cognitoSession(auth: CognitoAuth, origin = window.location.origin): CognitoSession {
  const manager = new UserManager({
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: `${origin}${auth.redirectPath}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: 'openid profile email',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    // Cognito's discovery document has no end-session endpoint; sign-out goes to its /logout below.
    loadUserInfo: false,
  });
  const liveUser = async () => {
    const user = await manager.getUser();
    return user && !user.expired ? user : undefined;
  };
  return {
    kind: 'cognito',
    redirectPath: auth.redirectPath,
    current: async () => {
      const user = await liveUser();
      return user ? userOf(user.profile) : undefined;
    },
    credentialHeaders: async (): Promise<Record<string, string>> => {
      const user = await liveUser();
      return user ? { authorization: `Bearer ${user.access_token}` } : {};
    },
    signIn: () => manager.signinRedirect(),
    completeSignIn: async () => userOf((await manager.signinRedirectCallback()).profile),
    forget: () => manager.removeUser(),
    signOut: async () => {
      await manager.removeUser();
      const logout = new URL('/logout', auth.domain);
      logout.searchParams.set('client_id', auth.clientId);
      logout.searchParams.set('logout_uri', `${origin}/`);
      window.location.assign(logout.toString());
    },
  };
}
