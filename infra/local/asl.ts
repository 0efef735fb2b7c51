/**
 * Small helpers over an Amazon States Language definition (JSONPath flavour), shared by the
 * local runtime and the tests.
 */

import { type AslDefinition, type AslState, readReferencePath } from '#application/asl.ts';

export type { AslDefinition, AslState } from '#application/asl.ts';
export { readReferencePath } from '#application/asl.ts';

/** Fills `${Name}` placeholders exactly as CloudFormation's DefinitionSubstitutions does. */
export function substitute(definitionText: string, substitutions: Readonly<Record<string, string>>): string {
  const filled = definitionText.replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, name: string) =>
    Object.hasOwn(substitutions, name) ? (substitutions[name] as string) : match,
  );
  const missing = [...filled.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
  if (missing.length > 0) throw new Error(`no substitution for: ${[...new Set(missing)].join(', ')}`);
  return filled;
}

/** Every state by name, including those nested in Map and Parallel states. */
export function allStates(definition: Pick<AslDefinition, 'States'>): Map<string, AslState> {
  const found = new Map<string, AslState>();
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      found.set(name, state);
      const nested = [
        state.ItemProcessor,
        state.Iterator,
        ...(Array.isArray(state.Branches) ? state.Branches : []),
      ] as Array<{ States?: Record<string, AslState> } | undefined>;
      for (const machine of nested) if (machine?.States) visit(machine.States);
    }
  };
  visit(definition.States);
  return found;
}

/** The instant a Wait state waits until, given the state's raw input and the current time. */
export function waitTarget(state: AslState, rawInput: unknown, now: Date): Date {
  const input = typeof state.InputPath === 'string' ? readReferencePath(state.InputPath, rawInput) : rawInput;
  if (typeof state.Seconds === 'number') return new Date(now.getTime() + state.Seconds * 1000);
  if (typeof state.Timestamp === 'string') return new Date(state.Timestamp);
  if (typeof state.SecondsPath === 'string') {
    return new Date(now.getTime() + Number(readReferencePath(state.SecondsPath, input)) * 1000);
  }
  if (typeof state.TimestampPath === 'string') {
    return new Date(String(readReferencePath(state.TimestampPath, input)));
  }
  throw new Error('Wait state without Seconds, Timestamp, SecondsPath or TimestampPath');
}
