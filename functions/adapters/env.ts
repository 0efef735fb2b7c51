import '#adapters/zod-english.ts';
import * as z from 'zod/mini';

/**
 * Reads the handler's environment once, at cold start, and fails loudly naming the missing
 * variable: a misconfigured deployment should not send a single message.
 */
export function readEnv<T extends z.core.$ZodShape>(shape: T, env: NodeJS.ProcessEnv = process.env) {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`invalid Lambda environment: ${names}`);
  }
  return parsed.data;
}

export const tableEnv = { TABLE_NAME: z.string().check(z.minLength(3)) };

/** journeyId → state machine ARN of this stage, as the stack passes it to the functions that start runs. */
export function journeyStateMachinesFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const { JOURNEY_STATE_MACHINES } = readEnv(
    { JOURNEY_STATE_MACHINES: z.string().check(z.minLength(2)) },
    env,
  );
  return z.record(z.string(), z.string()).parse(JSON.parse(JOURNEY_STATE_MACHINES));
}
