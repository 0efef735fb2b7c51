import { defineConfig } from 'vitest/config';
import { sharedTestOptions, slowSuites } from './vitest.config.ts';

/** `npm run test:slow`: the suites `npm test` leaves to CI (see `slowSuites`). */
export default defineConfig({
  test: { ...sharedTestOptions, include: slowSuites },
});
