/** Reads the relative links of Markdown pages and says which point nowhere: a missing file or a missing heading. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface BrokenLink {
  page: string;
  target: string;
  why: string;
}

/** The page's text without fenced code blocks and inline code, where a bracket is not a link. */
const prose = (markdown: string) =>
  markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');

/** Returns the anchors GitHub gives the page's headings (`## Busy, not failed` → `busy-not-failed`). */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading = ''] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Returns the relative link targets of a page: `[text](target)` and `![alt](target)`, not web addresses. */
export function relativeLinksOf(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map(([, target = '']) => target)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Returns every link of the pages that points to no file, or to no heading of its page. */
export function brokenLinks(root: string, pages: readonly string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const page of pages) {
    const file = join(root, page);
    const markdown = readFileSync(file, 'utf8');
    for (const target of relativeLinksOf(markdown)) {
      const [path = '', anchor] = target.split('#');
      const linked = path === '' ? file : resolve(dirname(file), decodeURI(path));
      if (!existsSync(linked)) {
        broken.push({ page, target, why: `no file ${relative(root, linked)}` });
        continue;
      }
      if (anchor === undefined || anchor === '' || !linked.endsWith('.md') || statSync(linked).isDirectory())
        continue;
      if (!anchorsOf(readFileSync(linked, 'utf8')).has(anchor))
        broken.push({ page, target, why: `no heading #${anchor} in ${relative(root, linked)}` });
    }
  }
  return broken;
}

/** Returns the Markdown pages under `dir` (relative to `root`), subfolders included. */
export function markdownPagesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(dir, name))
    .sort();
}

/** Top-level folders whose files a page may name in code (`functions/core/slot.ts`). */
const REPOSITORY_FOLDERS = ['functions', 'infra', 'test', 'templates', 'statemachines', 'docs'];

/** Returns the repository file paths a page writes in inline code; patterns (`<id>`, `*`, `{a,b}`) are left out. */
export function repositoryPathsIn(markdown: string): string[] {
  const paths = [...markdown.matchAll(/`([A-Za-z0-9_.\-/]+\.[a-z]{2,5})`/g)].map(([, path = '']) => path);
  return [...new Set(paths.filter((path) => REPOSITORY_FOLDERS.includes(path.split('/')[0] ?? '')))];
}
