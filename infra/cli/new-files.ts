/** Writes the files `klantreis new` makes, formatted as `npm run lint` wants them (biome). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes each file (path from `root`: its text), then formats the TypeScript and JSON ones with biome. */
export function writeNewFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const formattable = Object.keys(files).filter((path) => /\.(ts|json)$/.test(path));
  if (formattable.length === 0) return;
  const biome = spawnSync(
    join(root, 'node_modules', '.bin', 'biome'),
    ['format', '--write', ...formattable],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (biome.status !== 0)
    throw new Error(`biome could not format ${formattable.join(', ')}:\n${biome.stderr}`);
}
