/**
 * The console's production build: the first load stays within the budget, every asset name carries
 * its content hash (cached for a year), and index.html carries no inline script or style, so the
 * CloudFront Content-Security-Policy can forbid them.
 */
import { describe, expect, it } from 'vitest';
import {
  buildAndMeasureConsole,
  CONSOLE_INITIAL_BUDGET_KB,
  type ConsoleBundle,
} from '../bench/console-bundle.ts';

describe('npm run console:build', () => {
  let bundle: ConsoleBundle;

  it(`keeps the first load within ${CONSOLE_INITIAL_BUDGET_KB} KB gzipped`, () => {
    bundle = buildAndMeasureConsole();
    console.log(
      `console first load: ${bundle.initialGzipKb} KB gzipped, pages later: ${bundle.lazyGzipKb} KB`,
    );
    expect(bundle.initial.map((f) => f.file)).toContain('index.html');
    expect(bundle.initial.length).toBeGreaterThanOrEqual(3);
    expect(bundle.initialGzipKb).toBeLessThanOrEqual(CONSOLE_INITIAL_BUDGET_KB);
  });

  it('names every asset by its content hash and loads pages on demand', () => {
    expect(bundle.files.length).toBeGreaterThan(2);
    for (const file of bundle.files) expect(file).toMatch(/^assets\/[\w.-]+-[\w-]{8}\.(js|css)$/);
    // The customer page is not part of the first load.
    expect(bundle.initial.some((f) => f.file.includes('customer-page'))).toBe(false);
  });

  it('writes index.html with no inline script or style', () => {
    const scripts = [...bundle.indexHtml.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(content?.trim()).toBe('');
    }
    expect(bundle.indexHtml).not.toMatch(/<style\b|\sstyle="|\son\w+="|data:/i);
  });
});
