import { fileURLToPath } from 'node:url';

/** The repository root, absolute: handler entries, ASL files and templates are found from it, whatever the cwd. */
export const repoRoot: string = fileURLToPath(new URL('../../', import.meta.url));
