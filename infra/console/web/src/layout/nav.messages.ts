import { defineMessages } from '../i18n/define-messages.ts';

/** The navigation's labels, in the order it shows them: a route names one with `nav`. */
export const navMessages = defineMessages({
  en: {
    customers: 'Customers',
    handOvers: 'Hand-overs',
    journeys: 'Journeys',
    results: 'Results',
    templates: 'Templates',
    simulator: 'Simulator',
    operations: 'Operations',
  },
  nl: {
    customers: 'Klanten',
    handOvers: 'Overdrachten',
    journeys: 'Reizen',
    results: 'Resultaten',
    templates: 'Sjablonen',
    simulator: 'Simulator',
    operations: 'Beheer',
  },
});
export type NavKey = keyof typeof navMessages.catalogue.en;
export const NAV_ORDER = Object.keys(navMessages.catalogue.en) as NavKey[];
