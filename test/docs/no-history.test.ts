/**
 * Docs and code comments describe what is and why, never how the project got here: no issue numbers, work rounds,
 * lettered designs, "previously" or "was added", and no pointers to design notes outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const HISTORY: readonly { name: string; pattern: RegExp }[] = [
  { name: 'an issue number', pattern: /\bissues? ?#?\d/i },
  { name: 'a work round', pattern: /\bwork rounds?\b|\bround \d/i },
  { name: 'a lettered design', pattern: /\b[Dd]esigns? [A-Z]\b/ },
  { name: 'a design note outside the repository', pattern: /\bDESIGN\.md\b|\.\.\/shared\b/ },
  { name: '"previously"', pattern: /\bpreviously\b/i },
  // "is used to sign" says what a thing is for; "it used to" tells history.
  { name: '"used to"', pattern: /(?<!\b(?:is|are|be|been|being|was|were|gets?|got) )\bused to\b/i },
  { name: '"was added"', pattern: /\b(?:was|were|has been|have been) added\b/i },
  { name: '"now (since …)"', pattern: /\bnow \(since\b/i },
];

const SCANNED = ['README.md', 'docs', 'functions', 'infra', 'test', 'templates', 'statemachines'];
const TEXT = /\.(?:ts|tsx|js|mjs|cjs|json|md|liquid|mjml|css|html|ya?ml|sh)$/;
const THIS_FILE = 'test/docs/no-history.test.ts';

const trackedFiles = () =>
  execFileSync('git', ['ls-files', '-z', '--', ...SCANNED], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => TEXT.test(file) && file !== THIS_FILE);

/** Returns `file:line: what` for every line that tells history. */
function historyIn(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      HISTORY.filter(({ pattern }) => pattern.test(line)).map(({ name }) => `${file}:${index + 1}: ${name}`),
    );
}

describe('docs and comments without history', () => {
  it('has none in any tracked doc, source file, test or template', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => historyIn(file, readFileSync(`${repoRoot}/${file}`, 'utf8')))).toEqual([]);
  });

  it('finds each kind of history, and leaves what only looks like it', () => {
    const text = [
      'Fixed in issue #12.',
      'Since work round 3 the claim is conditional.',
      'Design C keeps one Task per message.',
      // Joined here so the repository itself holds no such reference, even in a test's sample text.
      `See ${['..', 'shared', 'DESIGN'].join('/')}.md for why.`,
      'The step previously sent twice.',
      'Runs used to poll.',
      'The read check was added for the SMS.',
      'It is now (since the switch) a task token.',
      'The key is used to sign the link; around 15:00; a design choice; rounded 2 ways.',
    ].join('\n');
    expect(historyIn('example.md', text)).toEqual([
      'example.md:1: an issue number',
      'example.md:2: a work round',
      'example.md:3: a lettered design',
      'example.md:4: a design note outside the repository',
      'example.md:5: "previously"',
      'example.md:6: "used to"',
      'example.md:7: "was added"',
      'example.md:8: "now (since …)"',
    ]);
  });
});
