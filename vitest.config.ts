import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // CDK synth with esbuild bundling and the end-to-end runtime take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Compiles templates/ (MJML to HTML) once before any test loads them.
    globalSetup: ['test/global-setup.ts'],
    // Powertools outside Lambda: no EMF metrics on stdout, no X-Ray, quiet logs.
    env: {
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  },
});
