/**
 * A problem in a content file (journey definition, policy, template) as the validation reports it:
 * the file, where in it (state, segment, template and locale), the field and what is wrong, e.g.
 * `statemachines/payment-reminder.asl.json: state FirstReminder: step.nxt: unknown key — did you mean "next"?`.
 * Schema problems are read from zod's issues here, with the nearest valid key or value, so the
 * runtime's schemas stay plain and their parsing cheap.
 */
import type * as z from 'zod/mini';
import { nearestName } from '#core/did-you-mean.ts';

export interface ContentIssue {
  /** From the repository root: `templates/policy.json`. */
  file: string;
  /** `state FirstReminder`, `segment senior`, `template payment-reminder, locale en, variant firm`; '' for the file as a whole. */
  where: string;
  /** The field as written, from `where`: `step.next.afterHours`, `windows[0].start`; '' when none. */
  field: string;
  message: string;
}

/** Returns the issue as one line: `file: where: field: message`, leaving out what is empty. */
export function formatIssue(issue: ContentIssue): string {
  return [issue.file, issue.where, issue.field, issue.message].filter((part) => part !== '').join(': ');
}

/** Returns the problems as a report for a terminal: a heading and one line per problem, no stack. */
export function contentReport(issues: readonly ContentIssue[]): string {
  const heading = `The content is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):`;
  return [heading, ...issues.map((issue) => `  ${formatIssue(issue)}`)].join('\n');
}

/** Returns a zod path as the field a person writes: `experiment.arms[1].weight`. */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** Wrappers whose inner schema describes the value. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

/** Returns the schema without its wrappers, unions spread into their options. */
function unwrapped(schema: Schema): Schema[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  if (WRAPPERS.has(def.type)) return unwrapped(def.innerType as Schema);
  if (def.type === 'pipe') return unwrapped(def.in as Schema);
  if (def.type === 'lazy') return unwrapped((def.getter as () => Schema)());
  if (def.type === 'union') return (def.options as Schema[]).flatMap(unwrapped);
  if (def.type === 'intersection')
    return [...unwrapped(def.left as Schema), ...unwrapped(def.right as Schema)];
  return [schema];
}

/** Returns every schema that may describe the value at `path` (several where a union leaves it open). */
function schemasAt(schema: Schema, path: Path): Schema[] {
  const here = unwrapped(schema);
  if (path.length === 0) return here;
  const [key, ...rest] = path;
  return here.flatMap((candidate) => {
    const def = candidate._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') {
      const inner = (def.shape as Record<string, Schema>)[String(key)];
      return inner ? schemasAt(inner, rest) : [];
    }
    if (def.type === 'array') return schemasAt(def.element as Schema, rest);
    if (def.type === 'record') return schemasAt(def.valueType as Schema, rest);
    if (def.type === 'tuple') {
      const item = (def.items as Schema[])[Number(key)];
      return item ? schemasAt(item, rest) : [];
    }
    return [];
  });
}

/** Returns the keys the objects (or records with listed keys) at `path` take, in the schema's order. */
export function knownKeysAt(schema: Schema, path: Path): string[] {
  const keys = schemasAt(schema, path).flatMap((candidate) => {
    const def = candidate._zod.def as unknown as {
      type: string;
      shape?: Record<string, Schema>;
      keyType?: Schema;
    };
    if (def.type === 'object' && def.shape) return Object.keys(def.shape);
    if (def.type !== 'record' || !def.keyType) return [];
    return unwrapped(def.keyType).flatMap((key) => {
      const entries = (key._zod.def as unknown as { entries?: Record<string, string> }).entries;
      return entries ? Object.values(entries) : [];
    });
  });
  return [...new Set(keys)];
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Returns a written value short enough for one line. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const didYouMean = (written: string, candidates: readonly string[]) => {
  const nearest = nearestName(written, candidates);
  return nearest === undefined ? '' : ` — did you mean "${nearest}"?`;
};

const FORMATS: Record<string, string> = {
  datetime: 'an ISO date-time with offset (2026-12-01T09:00:00+01:00)',
  date: 'an ISO date (2026-12-01)',
  url: 'an absolute URL',
  email: 'an email address',
};

/** Returns the issue's message, naming what was written. */
function messageOf(issue: Issue, value: unknown): string {
  if (value === undefined && issue.code === 'invalid_value' && issue.values.length > 1) {
    return `required: one of ${issue.values.join(', ')}`;
  }
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'required' : `expected ${issue.expected}, got ${shown(value)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      if (values.length === 1) return `must be ${shown(issue.values[0])}, got ${shown(value)}`;
      const hint = typeof value === 'string' ? didYouMean(value, values) : '';
      return `${shown(value)} is not one of ${values.join(', ')}${hint}`;
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'array') return `must have ${word} ${bound} item(s), got ${shown(value)}`;
      if (issue.origin === 'string') return `must have ${word} ${bound} character(s), got ${shown(value)}`;
      const strict = issue.inclusive === false;
      const sign = issue.code === 'too_small' ? (strict ? '>' : '≥') : strict ? '<' : '≤';
      return `must be ${sign} ${bound}, got ${shown(value)}`;
    }
    case 'invalid_format': {
      const expected =
        issue.format === 'regex' && 'pattern' in issue
          ? `matching ${String(issue.pattern)}`
          : (FORMATS[issue.format] ?? issue.format);
      return `${shown(value)} is not ${expected}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}, got ${shown(value)}`;
    default:
      return issue.message === 'Invalid input' ? `invalid: ${shown(value)}` : issue.message;
  }
}

/** Returns the issues of one union: those of the option the value comes nearest to (fewest issues). */
function unionIssues(schema: Schema, value: unknown, issue: z.core.$ZodIssueInvalidUnion): Issue[] {
  // Nested unions resolved first, so an option counts its own issues, not one per inner union.
  const nested = issue.errors.map((errors) =>
    errors.flatMap((e) => plainIssues(schema, value, { ...e, path: [...issue.path, ...e.path] } as Issue)),
  );
  if (nested.length > 0) {
    return nested.reduce((best, option) => (option.length < best.length ? option : best));
  }
  // A discriminated union whose discriminator (the issue's path) names no option.
  const options = (issue as { options?: z.core.util.Primitive[] }).options;
  if (!options) return [issue];
  return [{ code: 'invalid_value', values: options, path: issue.path, message: '', input: undefined }];
}

/** Returns the issue with its unions resolved to the nearest option's issues. */
function plainIssues(schema: Schema, value: unknown, issue: Issue): Issue[] {
  return issue.code === 'invalid_union' ? unionIssues(schema, value, issue) : [issue];
}

/**
 * Returns the problems of `value` against `schema` as content issues, each field from `field` (a
 * prefix such as `step`) on: unknown keys with the nearest known one, missing keys as `required`,
 * invalid values with what was written.
 */
export function schemaIssues(
  schema: Schema,
  value: unknown,
  at: { file: string; where: string; field?: readonly PropertyKey[] },
  options: {
    skip?: (path: Path) => boolean;
    /** Names a place in the file by the start of a path (`segments[2]` → `segment senior`), and the path from there. */
    placeOf?: (path: Path) => { where: string; path: Path } | undefined;
  } = {},
): ContentIssue[] {
  const parsed = (schema as z.ZodMiniType).safeParse(value);
  if (parsed.success) return [];
  const prefix = at.field ?? [];
  const found: ContentIssue[] = [];
  const add = (path: Path, message: string) => {
    if (options.skip?.(path)) return;
    const place = options.placeOf?.(path);
    const field = fieldOf([...prefix, ...(place?.path ?? path)]);
    found.push({ file: at.file, where: place?.where ?? at.where, field, message });
  };
  const issues = parsed.error.issues.flatMap((i) => plainIssues(schema, value, i));
  const pathKey = (path: Path) => JSON.stringify(path.map(String));
  const missing = new Set(
    issues
      .filter((i) => i.code !== 'unrecognized_keys' && valueAt(value, i.path) === undefined)
      .map((i) => pathKey(i.path)),
  );
  // A misspelt required key is one problem: its line names what was written and the key it stands for.
  const nearestOf = new Map<Issue, Array<[string, string | undefined]>>();
  const misspelt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeysAt(schema, issue.path);
    const pairs = issue.keys.map((key): [string, string | undefined] => [key, nearestName(key, known)]);
    nearestOf.set(issue, pairs);
    for (const [, nearest] of pairs) {
      if (nearest !== undefined && missing.has(pathKey([...issue.path, nearest]))) {
        misspelt.add(pathKey([...issue.path, nearest]));
      }
    }
  }
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      if (!misspelt.has(pathKey(issue.path))) add(issue.path, messageOf(issue, valueAt(value, issue.path)));
      continue;
    }
    for (const [key, nearest] of nearestOf.get(issue) ?? []) {
      const required = nearest !== undefined && misspelt.has(pathKey([...issue.path, nearest]));
      const message =
        nearest === undefined
          ? `unknown key (known: ${knownKeysAt(schema, issue.path).join(', ')})`
          : `unknown key — did you mean "${nearest}"?${required ? ` (${nearest} is required)` : ''}`;
      add([...issue.path, key], message);
    }
  }
  const lines = new Set<string>();
  return found.filter((issue) => {
    const line = formatIssue(issue);
    if (lines.has(line)) return false;
    lines.add(line);
    return true;
  });
}
