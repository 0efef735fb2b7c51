/**
 * The names `klantreis new` accepts, and the nearest known name when one is unknown, so a typo in
 * `--subject contrat` answers with `did you mean "contract"?` instead of a list to read through.
 */
import { nearestName } from '#core/did-you-mean.ts';

/** A subject type is one lower-case word: it names the module, its import in `all.ts` and `{{ <type>.… }}`. */
export const SUBJECT_TYPE_PATTERN = /^[a-z][a-z0-9]*$/;
/** A journey id is lower-case words joined by single dashes: it names the files and the state machine. */
export const JOURNEY_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Words a subject type cannot be: it is the module's default import in `all.ts` and a parameter name. */
const RESERVED = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false ' +
    'finally for function if implements import in instanceof interface let new null package private ' +
    'protected public return static super switch this throw true try typeof var void while with yield'
  ).split(' '),
);

/** Returns why `type` cannot be a subject type, or undefined when it can. */
export function subjectTypeProblem(type: string | undefined): string | undefined {
  if (!type) return 'name the subject type: klantreis new subject <type>';
  if (!SUBJECT_TYPE_PATTERN.test(type)) {
    return `subject type "${type}" must be one lower-case word of letters and digits (e.g. contract)`;
  }
  if (RESERVED.has(type)) return `subject type "${type}" is a reserved word in TypeScript: choose another`;
  return undefined;
}

/** Returns why `id` cannot be a journey id, or undefined when it can. */
export function journeyIdProblem(id: string | undefined): string | undefined {
  if (!id) return 'name the journey: klantreis new journey <id> --subject <type>';
  if (!JOURNEY_ID_PATTERN.test(id)) {
    return `journey id "${id}" must be lower-case words joined by single dashes (e.g. contract-renewal)`;
  }
  return undefined;
}

/** `unknown subject type "contrat" — did you mean "contract"? (known: account, contract, invoice)`. */
export function unknownName(what: string, name: string, known: readonly string[]): string {
  const nearest = nearestName(name, known);
  const hint = nearest ? ` — did you mean "${nearest}"?` : '';
  return `unknown ${what} "${name}"${hint} (known: ${[...known].sort().join(', ')})`;
}
