import * as z from 'zod';

/**
 * Reads the handler's environment once, at cold start, and fails loudly naming the missing
 * variable: a misconfigured deployment should not send a single message.
 */
export function readEnv<T extends z.ZodRawShape>(shape: T, env: NodeJS.ProcessEnv = process.env) {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`invalid Lambda environment: ${names}`);
  }
  return parsed.data;
}

export const tableEnv = { TABLE_NAME: z.string().min(3) };
