/**
 * Reads a guide in `docs/` as the steps a reader follows: the commands of its `sh` blocks and the
 * files of its blocks marked with a file name (```` ```ts file=functions/subjects/contract.ts ````),
 * in the order the guide gives them, and the list of files it says change (```` ```text changed-files ````).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type GuideStep =
  | { kind: 'command'; command: string; line: number }
  | { kind: 'file'; path: string; content: string; line: number };

interface FencedBlock {
  info: string;
  body: string;
  /** The 1-based line of the opening fence, for messages. */
  line: number;
}

/** Returns the fenced code blocks of a markdown text, with their info strings, in order. */
export function fencedBlocksOf(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, fence = '```', info = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !closes(lines[j] ?? '', fence)) {
      body.push(lines[j] ?? '');
      j++;
    }
    blocks.push({ info: info.trim(), body: body.length > 0 ? `${body.join('\n')}\n` : '', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** A closing fence: the opening's character, at least as many, nothing else on the line. */
function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence.charAt(0).repeat(trimmed.length);
}

/** Returns the guide's steps: every `sh` block's commands and every block with `file=<path>`. */
export function guideStepsOf(markdown: string): GuideStep[] {
  const steps: GuideStep[] = [];
  for (const block of fencedBlocksOf(markdown)) {
    const file = /(?:^|\s)file=(\S+)/.exec(block.info)?.[1];
    if (file) {
      steps.push({ kind: 'file', path: file, content: block.body, line: block.line });
    } else if (/^(sh|shell|bash)\b/.test(block.info)) {
      for (const command of block.body.split('\n')) {
        const trimmed = command.trim();
        if (trimmed && !trimmed.startsWith('#'))
          steps.push({ kind: 'command', command: trimmed, line: block.line });
      }
    }
  }
  return steps;
}

/**
 * Returns the paths the guide says the reader's change consists of (its `text changed-files` block):
 * the first word of each line; a path ending in `/` stands for every file under it.
 */
export function changedFilesOf(markdown: string): string[] {
  const block = fencedBlocksOf(markdown).find((b) => /(?:^|\s)changed-files\b/.test(b.info));
  if (!block) throw new Error('the guide has no ```text changed-files block');
  return block.body
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((path) => path.length > 0);
}

/** Runs a shell command in `cwd`; returns its exit code and output (stdout and stderr together). */
export function run(command: string, cwd: string): { status: number; output: string } {
  const result = spawnSync('sh', ['-c', `${command} 2>&1`], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.error?.message ?? ''}` };
}

/**
 * A throwaway copy of the repository's tracked files (as they are in the working tree), committed in a
 * fresh git repository of its own so `git status` there shows exactly what the guide changed, with the
 * repository's `node_modules` linked in.
 */
export function copyOfRepository(root: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'klantreis-guide-'));
  const tracked = run('git ls-files -z', root);
  if (tracked.status !== 0) throw new Error(`git ls-files: ${tracked.output}`);
  for (const path of tracked.output.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    // A tracked file deleted in the working tree is not part of the copy.
    try {
      cpSync(join(root, path), join(dir, path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const init = run(
    'git init -q && git add -A && git -c user.name=guide -c user.email=guide@example.com commit -q -m base',
    dir,
  );
  if (init.status !== 0) throw new Error(`git init in the copy: ${init.output}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a file of the guide into the copy. */
export function writeGuideFile(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}
