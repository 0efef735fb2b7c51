/**
 * Where the stage's pseudonym key comes from (the HMAC key of suppression entries and erasure
 * records): the port the repository asks, and the sources that need no SDK. The deployed source,
 * Secrets Manager, is `pseudonym-key.ts`, imported only by the handlers that need the key.
 */

/** Returns the key; asked for only by the table operations that need it. */
export type PseudonymKeySource = () => Promise<string>;

/** The development key of a local stage: public, so never a deployed stage's. */
export function localPseudonymKey(stage: string): PseudonymKeySource {
  const key = `klantreis-${stage}-development-pseudonym-key-not-secret`;
  return async () => key;
}

/** A key source for a repository that never reads or writes keyed items: fails loudly if one is asked for. */
export const noPseudonymKey: PseudonymKeySource = async () => {
  throw new Error('no pseudonym key configured for this function (catalog need "pseudonym-key")');
};
