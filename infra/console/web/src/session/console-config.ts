import * as z from 'zod/mini';

export const ROLES = ['viewer', 'agent', 'editor'] as const;
export type Role = (typeof ROLES)[number];

/** `/console-config.json`, written by the local console server or by the stack for its stage. */
export const ConsoleConfigSchema = z.object({
  stage: z.string(),
  auth: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('development'),
      users: z.array(z.object({ name: z.string(), role: z.enum(ROLES) })),
    }),
    z.object({
      kind: z.literal('cognito'),
      authority: z.string(),
      clientId: z.string(),
      domain: z.string(),
      redirectPath: z.string(),
    }),
  ]),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;
export type DevelopmentAuth = Extract<ConsoleConfig['auth'], { kind: 'development' }>;
export type CognitoAuth = Extract<ConsoleConfig['auth'], { kind: 'cognito' }>;

export async function loadConsoleConfig(fetchJson = fetch): Promise<ConsoleConfig> {
  const response = await fetchJson('/console-config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`/console-config.json answered ${response.status}`);
  return ConsoleConfigSchema.parse(await response.json());
}

/** The console roles among a user's groups (Cognito may list other groups too). */
export function rolesOf(groups: readonly unknown[]): Role[] {
  return ROLES.filter((role) => groups.includes(role));
}
