/**
 * English issue messages for zod/mini. Classic zod registers them on first use; mini registers
 * none, so every message would be the bare "Invalid input". The API's 400 bodies list these
 * messages, so they stay what they were. Imported for its effect where parsing starts: every
 * handler (`lambda.ts`), the API's parsing (`http.ts`), the environment (`env.ts`), the CLI.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
