import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleConfig } from './console-config.ts';
import type { SignedInUser } from './session.ts';

export interface SessionState {
  config: ConsoleConfig;
  user: SignedInUser;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionState | undefined>(undefined);

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return session;
}
