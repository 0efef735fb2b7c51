import type { Role } from './console-config.ts';

export interface SignedInUser {
  /** What the header shows: the development user's name or the Cognito username. */
  name: string;
  /** The groups the user is in (a viewer reads, an agent acts on customers, an editor manages experiments). */
  roles: readonly Role[];
}

/**
 * One way of signing in (development users locally, Cognito on AWS). The app never asks which:
 * it signs in, adds the credential to API calls, and signs out.
 */
export interface SessionProvider {
  readonly kind: 'development' | 'cognito';
  /** The user signed in now, if any (restored from this tab's storage). */
  current(): Promise<SignedInUser | undefined>;
  /** Headers that carry the credential on an API call. */
  credentialHeaders(): Promise<Record<string, string>>;
  /** Forgets the credential (an API answered 401, or the user signed out). */
  forget(): Promise<void>;
  signOut(): Promise<void>;
}

/** Where to go back after signing in: kept in this tab so a redirect to Cognito does not lose it. */
const RETURN_KEY = 'klantreis.console.returnTo';

export function rememberReturnTo(path: string): void {
  if (path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/sign-in')) {
    sessionStorage.setItem(RETURN_KEY, path);
  }
}

export function takeReturnTo(): string {
  const path = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return path?.startsWith('/') && !path.startsWith('//') ? path : '/';
}
