/**
 * The console speaks Dutch and English completely: every `*.messages.ts` catalogue beside a page or
 * area has the same keys in both languages, no empty text, and the same `{placeholders}` in each.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const webSource = join(repoRoot, 'infra/console/web/src');
const catalogueFiles = readdirSync(webSource, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.messages.ts'))
  .sort();

type Catalogue = { en: Record<string, string>; nl: Record<string, string> };

async function cataloguesIn(file: string): Promise<[string, Catalogue][]> {
  const module = (await import(pathToFileURL(join(webSource, file)).href)) as Record<string, unknown>;
  return Object.entries(module).flatMap(([name, value]) => {
    const catalogue = (value as { catalogue?: Catalogue } | null)?.catalogue;
    return catalogue ? [[`${file} ${name}`, catalogue] as [string, Catalogue]] : [];
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console message catalogues', () => {
  it('are found beside the pages and the layout', () => {
    expect(catalogueFiles).toContain('layout/layout.messages.ts');
    expect(catalogueFiles).toContain('layout/nav.messages.ts');
    expect(catalogueFiles.length).toBeGreaterThanOrEqual(4);
  });

  it.each(catalogueFiles)(
    '%s: Dutch and English have the same keys, texts and placeholders',
    async (file) => {
      const catalogues = await cataloguesIn(file);
      expect(catalogues.length, `${file} exports no defineMessages catalogue`).toBeGreaterThan(0);
      for (const [name, { en, nl }] of catalogues) {
        expect(Object.keys(nl).sort(), name).toEqual(Object.keys(en).sort());
        for (const key of Object.keys(en)) {
          expect(en[key]?.trim(), `${name} en.${key}`).not.toBe('');
          expect(nl[key]?.trim(), `${name} nl.${key}`).not.toBe('');
          expect(placeholders(nl[key] ?? ''), `${name} ${key}`).toEqual(placeholders(en[key] ?? ''));
        }
      }
    },
  );
});
