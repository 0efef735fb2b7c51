/**
 * A small IAM evaluator for the identity policies of a synthesized template: an explicit Deny wins,
 * then an Allow, else the implicit deny. Enough to ask "may this role do X to Y?" of our own
 * statements: Action and Resource globs (`*`, `?`), NotAction/NotResource, and the condition
 * operators our stacks use. It resolves the pseudo parameters to one fixed account and region; any
 * other reference stays an opaque token that matches only itself.
 */
import type { Statement } from './synth.ts';

export const ACCOUNT = '123456789012';
export const PARTITION = 'aws';

export interface Request {
  action: string;
  /** The resource IAM authorizes against: an ARN, or for an SNS Publish to a phone number, the number. */
  resource: string;
  /** Condition keys of the request, e.g. `kms:ViaService`. */
  context?: Record<string, string>;
}

export type Decision = 'allowed' | 'explicitly denied' | 'implicitly denied';

/** Returns IAM's decision for the request under the identity statements. */
export function evaluate(statements: readonly Statement[], request: Request, region = 'eu-west-1'): Decision {
  const applies = (s: Statement) =>
    matchesAction(s, request.action) &&
    matchesResource(s, request.resource, region) &&
    conditionsHold(s, request, region);
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return 'explicitly denied';
  if (statements.some((s) => s.Effect === 'Allow' && applies(s))) return 'allowed';
  return 'implicitly denied';
}

type Full = Statement & {
  NotAction?: string | string[];
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

function matchesAction(statement: Full, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => glob(p, action, true));
  return list(statement.Action).some((p) => glob(p, action, true));
}

function matchesResource(statement: Full, resource: string, region: string): boolean {
  if (statement.NotResource !== undefined) {
    return !listOf(statement.NotResource).some((p) => glob(resolve(p, region), resource, false));
  }
  return listOf(statement.Resource).some((p) => glob(resolve(p, region), resource, false));
}

function conditionsHold(statement: Full, request: Request, region: string): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const actual = request.context?.[key];
      const values = listOf(expected).map((v) => resolve(v, region));
      if (actual === undefined) return false;
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          if (!values.includes(actual)) return false;
          break;
        case 'StringLike':
        case 'ArnLike':
          if (!values.some((v) => glob(v, actual, false))) return false;
          break;
        default:
          throw new Error(`policy-evaluator does not know the condition operator ${operator}`);
      }
    }
  }
  return true;
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions case-insensitively. */
function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, caseInsensitive ? 'i' : '').test(value);
}

/** Resolves Fn::Join and the pseudo parameters; other references become `{ref:…}` tokens. */
function resolve(value: unknown, region: string): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': PARTITION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Region': region,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[String(v.Ref)] ?? `{ref:${String(v.Ref)}}`;
  }
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, region)).join(separator);
  }
  return `{ref:${JSON.stringify(v)}}`;
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
