/** `npm run openapi`: writes the HTTP API's OpenAPI document to `dist/openapi.json` (git-ignored). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './constructs/repo-root.ts';
import { loadRoutedHandlers, openApiDocument } from './openapi.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';

const document = openApiDocument(await loadRoutedHandlers());
const file = join(repoRoot, 'dist', 'openapi.json');
await mkdir(join(repoRoot, 'dist'), { recursive: true });
await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${file} (${Object.keys(document.paths as object).length} paths)`);
