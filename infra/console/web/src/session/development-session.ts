import type { DevelopmentAuth } from './console-config.ts';
import type { SessionProvider, SignedInUser } from './session.ts';

/**
 * The header that names the development user on each API call. The local console server reads it
 * and hands the handlers that user's claims exactly as the JWT authorizer would on AWS.
 */
export const DEVELOPMENT_USER_HEADER = 'x-klantreis-development-user';
const STORAGE_KEY = 'klantreis.console.developmentUser';

export interface DevelopmentSession extends SessionProvider {
  readonly kind: 'development';
  readonly users: DevelopmentAuth['users'];
  signInAs(name: string): SignedInUser;
}

/** Local sign-in: pick one of the development users the console server lists. */
export function developmentSession(auth: DevelopmentAuth): DevelopmentSession {
  const userNamed = (name: string | null) => auth.users.find((user) => user.name === name);
  const current = () => {
    const user = userNamed(sessionStorage.getItem(STORAGE_KEY));
    return user ? { name: user.name, roles: [user.role] } : undefined;
  };
  return {
    kind: 'development',
    users: auth.users,
    current: async () => current(),
    signInAs(name) {
      const user = userNamed(name);
      if (!user) throw new Error('unknown development user');
      sessionStorage.setItem(STORAGE_KEY, user.name);
      return { name: user.name, roles: [user.role] };
    },
    credentialHeaders: async (): Promise<Record<string, string>> => {
      const user = current();
      return user ? { [DEVELOPMENT_USER_HEADER]: user.name } : {};
    },
    forget: async () => sessionStorage.removeItem(STORAGE_KEY),
    signOut: async () => sessionStorage.removeItem(STORAGE_KEY),
  };
}
