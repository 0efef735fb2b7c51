import { defineMessages } from '../../i18n/define-messages.ts';

export const operationsMessages = defineMessages({
  en: {
    title: 'Operations',
    intro: 'Runs that failed lately and runs whose next wake is overdue, each with a link to its execution.',
    failed: 'Failed runs (last 7 days)',
    waitingLong: 'Runs waiting past their wake (more than 30 minutes)',
    noFailed: 'No run failed in the last 7 days.',
    noWaiting: 'No run waits past its wake.',
    run: 'Run',
    journey: 'Journey',
    customer: 'Customer',
    state: 'Waits in',
    status: 'Status',
    ended: 'Ended',
    overdue: 'Overdue',
    minutes: '{minutes} min',
    execution: 'Execution',
    open: 'Open',
    deadLetters:
      'Dead-lettered events: each dead-letter queue of the stage has an alarm; its messages are read in the SQS console.',
  },
  nl: {
    title: 'Beheer',
    intro:
      'Runs die onlangs mislukten en runs waarvan het volgende wekmoment voorbij is, elk met een link naar de uitvoering.',
    failed: 'Mislukte runs (laatste 7 dagen)',
    waitingLong: 'Runs die langer wachten dan hun wekmoment (meer dan 30 minuten)',
    noFailed: 'Geen run mislukt in de laatste 7 dagen.',
    noWaiting: 'Geen run wacht langer dan zijn wekmoment.',
    run: 'Run',
    journey: 'Reis',
    customer: 'Klant',
    state: 'Wacht in',
    status: 'Status',
    ended: 'Geëindigd',
    overdue: 'Te laat',
    minutes: '{minutes} min',
    execution: 'Uitvoering',
    open: 'Openen',
    deadLetters:
      'Events in een dead-letter-queue: elke dead-letter-queue van de stage heeft een alarm; de berichten lees je in de SQS-console.',
  },
});
