/**
 * The `${…}` substitutions journeys (ASL files) use, built in one place for both runtimes:
 * the CDK stack passes real ARNs, the local runtime passes local ones. Pure: no aws-cdk-lib,
 * no file system, so the local runtime and tests can import it cheaply.
 */
import { type HandlerId, handlers, TABLE_NAME_SUBSTITUTION } from '#catalog/catalog.ts';

/** Returns every substitution key a journey may use: one per journey-called handler, plus the table name. */
export function journeySubstitutionKeys(): string[] {
  return [...handlers.flatMap((h) => ('substitution' in h ? [h.substitution] : [])), TABLE_NAME_SUBSTITUTION];
}

/** Returns the substitution map for the given function ARNs and table name. */
export function buildSubstitutions(
  arnFor: (handlerId: HandlerId) => string,
  tableName: string,
): Record<string, string> {
  const substitutions: Record<string, string> = {};
  for (const h of handlers) {
    if ('substitution' in h) substitutions[h.substitution] = arnFor(h.id);
  }
  substitutions[TABLE_NAME_SUBSTITUTION] = tableName;
  return substitutions;
}

/** Returns the distinct `${Name}` placeholders in an ASL document's text, in first-use order. */
export function placeholdersIn(aslText: string): string[] {
  return [...new Set([...aslText.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string))];
}

/** Returns the handler ids whose ARN placeholder the ASL text uses: the functions a journey invokes. */
export function handlersUsedBy(aslText: string): HandlerId[] {
  const used = new Set(placeholdersIn(aslText));
  return handlers.flatMap((h) => ('substitution' in h && used.has(h.substitution) ? [h.id] : []));
}

/** Returns the placeholders in the ASL text that no substitution fills (empty when the journey is complete). */
export function missingSubstitutions(aslText: string, substitutions: Record<string, string>): string[] {
  return placeholdersIn(aslText).filter((name) => !Object.hasOwn(substitutions, name));
}
