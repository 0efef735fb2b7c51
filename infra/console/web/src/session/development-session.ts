import { type DevelopmentAuth, rolesOf } from './console-config.ts';
import type { SessionProvider, SignedInUser } from './session.ts';

/**
 * The local console server's development sign-in: it keeps the session (an HttpOnly cookie) and hands
 * the handlers the user's claims as the JWT authorizer would on AWS, so roles are enforced the same.
 */
export const DEVELOPMENT_AUTH = {
  signIn: '/auth/dev-sign-in',
  session: '/auth/session',
  signOut: '/auth/dev-sign-out',
} as const;

export interface DevelopmentSession extends SessionProvider {
  readonly kind: 'development';
  readonly users: DevelopmentAuth['users'];
  signInAs(name: string): Promise<SignedInUser>;
}

interface SessionAnswer {
  user?: { name?: unknown; role?: unknown };
}

function userOf(answer: SessionAnswer): SignedInUser | undefined {
  const name = answer.user?.name;
  return typeof name === 'string' ? { name, roles: rolesOf([answer.user?.role]) } : undefined;
}

/** Local sign-in: pick one of the development users the console server lists. */
export function developmentSession(auth: DevelopmentAuth, doFetch: typeof fetch = fetch): DevelopmentSession {
  return {
    kind: 'development',
    users: auth.users,
    current: async () => {
      const response = await doFetch(DEVELOPMENT_AUTH.session, { headers: { accept: 'application/json' } });
      return response.ok ? userOf((await response.json()) as SessionAnswer) : undefined;
    },
    async signInAs(name) {
      const response = await doFetch(DEVELOPMENT_AUTH.signIn, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ user: name }),
      });
      const user = response.ok ? userOf((await response.json()) as SessionAnswer) : undefined;
      if (!user) throw new Error(`signing in as ${name} was refused (${response.status})`);
      return user;
    },
    // The session cookie travels with every same-origin request.
    credentialHeaders: async () => ({}),
    forget: async () => {},
    signOut: async () => {
      await doFetch(DEVELOPMENT_AUTH.signOut, { method: 'POST' });
    },
  };
}
