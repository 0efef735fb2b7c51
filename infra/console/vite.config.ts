/**
 * The console's build: `npm run console:build` writes `dist/console/` (index.html, hashed assets),
 * which the local console server and the stack's S3 bucket serve. Nothing is inlined — no inline
 * script, style or data: URL — so the Content-Security-Policy can forbid all of them.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./web'),
  publicDir: false,
  plugins: [preact()],
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: true,
    // The bundle benchmark and budget test read which files the first page load needs.
    manifest: true,
    target: 'es2022',
    // The module-preload polyfill would be an inline script; every browser the console supports has modulepreload.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run console:dev`: the API and /console-config.json from a running local console server.
    proxy: {
      '/api': process.env.KLANTREIS_CONSOLE_URL ?? 'http://127.0.0.1:4015',
      '/console-config.json': process.env.KLANTREIS_CONSOLE_URL ?? 'http://127.0.0.1:4015',
    },
  },
});
