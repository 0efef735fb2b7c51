import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The suites `npm run test:slow` runs instead of `npm test`: they synthesize the CDK stack, bundle
 * every handler, spawn the benchmark, drive a real browser or follow a guide in a copy of the
 * repository. CI (`.ci/run`) runs both, so nothing is left out; `npm test` stays within a few minutes
 * on a busy two-core machine.
 */
export const slowSuites = [
  // The infrastructure tests: most synthesize the whole stack (with cdk-nag) once or more.
  'test/infra/**/*.test.ts',
  'test/unit/bundles/bundle-budget.test.ts',
  'test/unit/bench-smoke.test.ts',
  // Runs npm start three times in a copy of the repository, each building the console.
  'test/unit/local/npm-start-signals.test.ts',
  'test/content/preview-browser.test.ts',
  // Follows docs/writing-a-journey.md in a copy of the repository, down to its end-to-end test.
  'test/docs/writing-a-journey.test.ts',
  // The console: its production build and the real browser against the local runtime.
  'test/console/**/*.test.ts',
];

export const sharedTestOptions: NonNullable<ViteUserConfig['test']> & { exclude: string[] } = {
  exclude: ['test/bench/**', 'node_modules/**'],
  // Bounds on a hang, never assertions: CDK synth, esbuild and the end-to-end runtime take seconds.
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks',
  // Both cores of a two-core machine (vitest's default leaves one to its main process, which idles).
  maxWorkers: 2,
  // Compiles templates/ (MJML to HTML) once before any test loads them.
  globalSetup: ['test/global-setup.ts'],
  // Powertools outside Lambda: no EMF metrics on stdout, no X-Ray, quiet logs.
  env: {
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  },
};

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['test/**/*.test.ts'],
    exclude: [...sharedTestOptions.exclude, ...slowSuites],
  },
});
