import { defineMessages } from '../i18n/define-messages.ts';

export const uiMessages = defineMessages({
  en: {
    loading: 'Loading…',
    empty: 'Nothing here yet.',
    errorTitle: 'Something went wrong',
    retry: 'Try again',
    forbidden: 'Not allowed',
    notFoundTitle: 'Not found',
    notFoundText: 'There is nothing at this address.',
    customerNotFoundTitle: 'No such customer',
    customerNotFoundText:
      'There is no customer with this id. The id may be mistyped, or the customer’s data was erased.',
    backToSearch: 'Find a customer',
    required: 'Required',
    cancel: 'Cancel',
    confirm: 'Yes, do it',
    saving: 'Saving…',
  },
  nl: {
    loading: 'Laden…',
    empty: 'Nog niets te zien.',
    errorTitle: 'Er ging iets mis',
    retry: 'Opnieuw proberen',
    forbidden: 'Niet toegestaan',
    notFoundTitle: 'Niet gevonden',
    notFoundText: 'Op dit adres staat niets.',
    customerNotFoundTitle: 'Deze klant bestaat niet',
    customerNotFoundText:
      'Er is geen klant met dit id. Misschien is het id verkeerd getypt, of zijn de gegevens van de klant gewist.',
    backToSearch: 'Klant zoeken',
    required: 'Verplicht',
    cancel: 'Annuleren',
    confirm: 'Ja, doen',
    saving: 'Opslaan…',
  },
});
