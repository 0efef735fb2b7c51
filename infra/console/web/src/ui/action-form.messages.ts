import { defineMessages } from '../i18n/define-messages.ts';

export const actionFormMessages = defineMessages({
  en: {
    confirmTitle: 'Are you sure?',
    done: 'Done. The timeline shows it.',
    notAllowed: 'Not allowed: {message}',
    failed: 'Not done: {message}',
    fixFields: 'Check the fields marked below.',
  },
  nl: {
    confirmTitle: 'Weet je het zeker?',
    done: 'Gedaan. De tijdlijn toont het.',
    notAllowed: 'Niet toegestaan: {message}',
    failed: 'Niet gedaan: {message}',
    fixFields: 'Controleer de gemarkeerde velden hieronder.',
  },
});
