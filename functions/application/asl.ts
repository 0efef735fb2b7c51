/**
 * The Amazon States Language (JSONPath flavour) as the journey files write it: the definition's shape
 * and reference paths, read by the journey planning here and by the local runtime.
 */

export type AslState = Record<string, unknown> & { Type: string };
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  QueryLanguage?: string;
  [key: string]: unknown;
}

/**
 * Reads an ASL reference path (`$.a.b`, `$['a'].b`, `$.list[0]`): the only kind allowed in
 * `TimestampPath`, `SecondsPath`, `InputPath` and Choice `Variable`s.
 */
export function readReferencePath(path: string, value: unknown): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$')) throw new Error(`not a reference path: ${path}`);
  const segments = [...path.slice(1).matchAll(/\.([^.[\]]+)|\['([^']+)'\]|\[(\d+)\]/g)].map(
    (m) => m[1] ?? m[2] ?? Number(m[3]),
  );
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
