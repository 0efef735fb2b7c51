/**
 * What the console's site is, wherever it runs: the runtime config the app fetches, the content
 * security policy, and which paths are files rather than pages of the app. The local console
 * server (`infra/local/console-server.ts`) and CloudFront (`infra/constructs/console.ts`) both
 * answer from these, so the browser meets the same rules on one machine as on AWS.
 */

import type { ConsoleRole } from '#catalog/roles.ts';

/** The Cognito groups: a viewer reads, an agent acts on customers, an editor manages experiments. */
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['viewer', 'agent', 'editor'];

export interface DevelopmentUser {
  name: string;
  role: ConsoleRole;
}

/** Who can sign in to the local console: one development user per role. */
export const DEVELOPMENT_USERS: readonly DevelopmentUser[] = [
  { name: 'dev-agent', role: 'agent' },
  { name: 'dev-editor', role: 'editor' },
  { name: 'dev-viewer', role: 'viewer' },
];

/** `/console-config.json`: what the app needs to know about where it runs and how people sign in. */
export type ConsoleConfig = {
  stage: string;
  auth:
    | { kind: 'development'; users: readonly DevelopmentUser[] }
    | {
        kind: 'cognito';
        /** The user pool's issuer: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
        authority: string;
        clientId: string;
        /** The hosted UI: `https://<prefix>.auth.<region>.amazoncognito.com`. */
        domain: string;
        /** Where Cognito sends the browser back with the authorization code. */
        redirectPath: string;
      };
};

/** The path Cognito redirects to after sign-in; the app finishes the code exchange there. */
export const SIGNED_IN_PATH = '/signed-in';
/** The path Cognito redirects to after sign-out. */
export const SIGNED_OUT_PATH = '/';

/**
 * Files are the build's hashed assets under `/assets/` and files at the root (`/index.html`,
 * `/console-config.json`, `/favicon.svg`); every other path is a page of the app, answered with
 * `index.html` (`/customers/c.1` is a page, though its id has a dot).
 */
export const CONSOLE_FILE_PATH = /^\/(?:assets\/.+|[^/]+\.[A-Za-z0-9]+)$/;

/** Returns whether the path names a file of the build rather than a page of the app. */
export function isConsoleFilePath(path: string): boolean {
  return CONSOLE_FILE_PATH.test(path);
}

/**
 * The content security policy of every console page. Scripts only from the console's own origin
 * (no inline scripts, no eval). Inline styles are allowed because an email body is shown in a
 * sandboxed `<iframe srcdoc>`, which inherits this policy, and email HTML is styled inline; the
 * frame has no scripts (`sandbox` without `allow-scripts`). Images may come from https (the
 * images an email links); `connectSources` adds the sign-in endpoints (Cognito) to `'self'`.
 * `frame-ancestors 'none'`: no other site may frame the console.
 */
export function consoleContentSecurityPolicy(
  options: { connectSources?: readonly string[]; upgradeInsecureRequests?: boolean } = {},
): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src ${["'self'", ...(options.connectSources ?? [])].join(' ')}`,
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    ...(options.upgradeInsecureRequests ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** Response headers every console answer carries besides the policy (HSTS only where it is HTTPS). */
export const CONSOLE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Console addresses carry customer ids: no page or link opened from it learns them.
  'referrer-policy': 'no-referrer',
} as const;
