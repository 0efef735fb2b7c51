import { defineMessages } from '../../i18n/define-messages.ts';

export const customersMessages = defineMessages({
  en: {
    findTitle: 'Find a customer',
    findIntro: 'By customer id, exact email address or phone number (+31612345678).',
    query: 'Customer id, email or phone',
    find: 'Find',
    finding: 'Finding…',
    emptyQuery: 'Type a customer id, an email address or a phone number.',
    noMatch: 'No customer has this email address or phone number.',
    manyMatches: 'More than one customer matches:',
  },
  nl: {
    findTitle: 'Klant zoeken',
    findIntro: 'Op klant-id, exact e-mailadres of telefoonnummer (+31612345678).',
    query: 'Klant-id, e-mail of telefoon',
    find: 'Zoeken',
    finding: 'Bezig met zoeken…',
    emptyQuery: 'Typ een klant-id, een e-mailadres of een telefoonnummer.',
    noMatch: 'Geen klant heeft dit e-mailadres of telefoonnummer.',
    manyMatches: 'Meer dan één klant past:',
  },
});
