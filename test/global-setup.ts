import { compileTemplates } from '#infra/content/compile-templates.ts';

/** Vitest global setup: compiles templates/ once (a no-op when they are up to date), before any test loads them. */
export default async function setup(): Promise<void> {
  await compileTemplates();
}
