// Written by `npx klantreis generate` from the subject modules in this folder (every `*.ts` but
// `subject-type.ts`, `registry.ts` and `all.ts`); a test checks that it is up to date.
import account from './account.ts';
import appointment from './appointment.ts';
import instalment from './instalment.ts';
import invoice from './invoice.ts';

export const subjectModules = [account, appointment, instalment, invoice] as const;
