import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import {
  anchorsOf,
  brokenLinks,
  markdownPagesUnder,
  relativeLinksOf,
  repositoryPathsIn,
} from './markdown-links.ts';

const README_MAX_LINES = 300;
const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
const pages = ['README.md', ...markdownPagesUnder(repoRoot, 'docs')];

describe('the README and docs/', () => {
  it(`keep the README within ${README_MAX_LINES} lines: one screen of what, how to run, where to look`, () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('point every relative link at a file that exists, and every anchor at a heading of its page', () => {
    expect(brokenLinks(repoRoot, pages)).toEqual([]);
  });

  it('name only repository files that exist when they write a path in code', () => {
    const missing = pages.flatMap((page) =>
      repositoryPathsIn(readFileSync(`${repoRoot}/${page}`, 'utf8'))
        .filter((path) => !existsSync(`${repoRoot}/${path}`))
        .map((path) => `${page}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('list every decision record in the records index', () => {
    const index = relativeLinksOf(readFileSync(`${repoRoot}/docs/decisions/README.md`, 'utf8'));
    const records = pages.filter((page) => page.startsWith('docs/decisions/') && !page.endsWith('README.md'));
    expect(records.filter((record) => !index.includes(record.slice('docs/decisions/'.length)))).toEqual([]);
  });

  it('link every docs page from the README or from another page', () => {
    const linked = new Set(
      pages.flatMap((page) =>
        relativeLinksOf(readFileSync(`${repoRoot}/${page}`, 'utf8')).map((target) => {
          const [path = ''] = target.split('#');
          return new URL(path, `file:///${page}`).pathname.slice(1);
        }),
      ),
    );
    expect(pages.filter((page) => page !== 'README.md' && !linked.has(page))).toEqual([]);
  });
});

describe('the link check itself', () => {
  it('names GitHub anchors as GitHub does', () => {
    expect([
      ...anchorsOf(
        '# Delivery: never twice\n## Busy, not failed\n## `npm start` prints\n## Busy, not failed\n',
      ),
    ]).toEqual(['delivery-never-twice', 'busy-not-failed', 'npm-start-prints', 'busy-not-failed-1']);
  });

  it('reads the repository paths a page writes in code, leaving patterns and other paths alone', () => {
    expect(
      repositoryPathsIn(
        'See `functions/core/slot.ts`, `templates/<id>/template.json`, `test/e2e/*.test.ts`, `web/src/routes.ts`, `.local/x.json`.',
      ),
    ).toEqual(['functions/core/slot.ts']);
  });

  it('reads links in prose, not in code, and leaves web addresses alone', () => {
    expect(
      relativeLinksOf(
        '[a](docs/a.md) ![b](img/b.png) [c](https://x.example) `[d](d.md)`\n```\n[e](e.md)\n```\n',
      ),
    ).toEqual(['docs/a.md', 'img/b.png']);
  });

  it('finds a missing file and a missing heading, and passes links that resolve', () => {
    const root = mkdtempSync(join(tmpdir(), 'links-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'a.md'), '# A page\n\n## Its part\n');
    writeFileSync(
      join(root, 'README.md'),
      '[ok](docs/a.md) [ok](docs/a.md#its-part) [ok](#top) [no file](docs/b.md) [no heading](docs/a.md#other)\n\n# Top\n',
    );
    expect(brokenLinks(root, ['README.md'])).toEqual([
      { page: 'README.md', target: 'docs/b.md', why: 'no file docs/b.md' },
      { page: 'README.md', target: 'docs/a.md#other', why: 'no heading #other in docs/a.md' },
    ]);
  });
});
