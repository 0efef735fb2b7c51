import type { ConsoleRole, Role } from '#catalog/roles.ts';
import { HttpError } from './http.ts';

export interface Caller {
  /** Who acts, as the audit trail records it: a user name, `system:<principal>`; never personal data. */
  actor: string;
  /** Every role the caller holds, implied ones included (an agent is also a viewer). */
  roles: ReadonlySet<Role>;
}

/** The Cognito groups that grant a role, and the roles each one implies. */
const GROUP_ROLES: Record<ConsoleRole, readonly Role[]> = {
  viewer: ['viewer'],
  agent: ['agent', 'viewer'],
  editor: ['editor', 'viewer'],
};

const SYSTEM_ROLES: ReadonlySet<Role> = new Set<Role>(['system', 'viewer', 'agent', 'editor']);

/** The caller of a request neither authorizer vouched for: it may do nothing that needs a role. */
const UNAUTHENTICATED: Caller = { actor: 'anonymous', roles: new Set() };

interface AuthorizerContext {
  jwt?: { claims?: Record<string, unknown> };
  iam?: { userArn?: unknown; userId?: unknown; accountId?: unknown };
}

function isGroup(name: string): name is ConsoleRole {
  return Object.hasOwn(GROUP_ROLES, name);
}

/**
 * The groups claim as API Gateway passes it: an array in a JSON token, but the HTTP API's JWT
 * authorizer flattens an array claim to one string (`[agent viewer]`); a comma list is accepted too.
 */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group.length > 0);
}

/** Looks like an email address or a phone number: such a user name is personal data, so `sub` is used. */
function isPersonal(value: string): boolean {
  return value.includes('@') || /^\+?\d[\d\s-]{5,}$/.test(value);
}

function jwtActor(claims: Record<string, unknown>): string {
  const username = claims['cognito:username'] ?? claims.username;
  if (typeof username === 'string' && username.length > 0 && !isPersonal(username)) return username;
  return typeof claims.sub === 'string' && claims.sub.length > 0 ? claims.sub : 'unknown-user';
}

/**
 * `system:` and the principal's role or user name. An assumed role's session name is left out: single
 * sign-on puts the person's email address there.
 */
function iamActor(iam: NonNullable<AuthorizerContext['iam']>): string {
  const arn = typeof iam.userArn === 'string' ? iam.userArn : '';
  const assumedRole = /:assumed-role\/([^/]+)\//.exec(arn)?.[1];
  if (assumedRole) return `system:role/${assumedRole}`;
  const named = /:(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (named && !isPersonal(named[2] as string)) return `system:${named[1]}/${named[2]}`;
  const id = typeof iam.userId === 'string' && iam.userId.length > 0 ? iam.userId : 'iam';
  return `system:${id}`;
}

/**
 * Who called, from the API Gateway HTTP API (payload 2.0) event: the Cognito groups of a JWT caller,
 * or an IAM principal (every right). A request neither vouched for holds no role.
 */
export function callerOf(event: { requestContext?: unknown }): Caller {
  const context = event.requestContext as { authorizer?: AuthorizerContext } | undefined;
  const authorizer = context?.authorizer;
  const claims = authorizer?.jwt?.claims;
  if (claims && typeof claims === 'object') {
    const roles = new Set<Role>(
      groupsOf(claims['cognito:groups'])
        .filter(isGroup)
        .flatMap((g) => GROUP_ROLES[g]),
    );
    return { actor: jwtActor(claims), roles };
  }
  if (authorizer?.iam && typeof authorizer.iam === 'object') {
    return { actor: iamActor(authorizer.iam), roles: SYSTEM_ROLES };
  }
  return UNAUTHENTICATED;
}

const withArticle = (role: Role) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);

/** The strongest role a person holds, to name in a refusal: the one they would recognise. */
function mainRole(roles: ReadonlySet<Role>): Role | undefined {
  return (['editor', 'agent', 'viewer'] as const).find((role) => roles.has(role));
}

/**
 * Returns the caller when it holds `role`, else throws a 403 in plain words the console shows as is
 * (`forbidden: this needs the agent role; you are signed in as a viewer`).
 */
export function requireRole(event: { requestContext?: unknown }, role: ConsoleRole): Caller {
  const caller = callerOf(event);
  if (caller.roles.has(role)) return caller;
  const held = mainRole(caller.roles);
  const who =
    caller === UNAUTHENTICATED
      ? 'you are not signed in'
      : held
        ? `you are signed in as ${withArticle(held)}`
        : 'you are signed in without a role (ask for the viewer, agent or editor group)';
  throw new HttpError(403, `forbidden: this needs the ${role} role; ${who}`);
}
