// Written by `npx klantreis generate` from the subject modules in this folder (every `*.ts` but
// `subject-type.ts`, `registry.ts` and `all.ts`); a test checks that it is up to date.

export const subjectModules = [] as const;
