import { defineMessages } from '../../i18n/define-messages.ts';

export const signInMessages = defineMessages({
  en: {
    title: 'Sign in',
    intro: 'Sign in to the Klantreis console ({stage}).',
    expired: 'Your session has ended. Sign in again: what you typed in an open form is kept.',
    developmentIntro: 'This is a local stage: pick a development user.',
    signInAs: 'Sign in as {name}',
    signInWithCognito: 'Sign in',
    signingIn: 'Signing in…',
    failed: 'Signing in failed: {message}',
    configFailed: 'The console could not load its configuration: {message}',
    roleViewer: 'viewer: reads',
    roleAgent: 'agent: reads and acts on customers',
    roleEditor: 'editor: reads and manages experiments',
  },
  nl: {
    title: 'Aanmelden',
    intro: 'Meld je aan bij de Klantreis-console ({stage}).',
    expired:
      'Je sessie is verlopen. Meld je opnieuw aan: wat je in een open formulier typte, blijft bewaard.',
    developmentIntro: 'Dit is een lokale omgeving: kies een ontwikkelgebruiker.',
    signInAs: 'Aanmelden als {name}',
    signInWithCognito: 'Aanmelden',
    signingIn: 'Bezig met aanmelden…',
    failed: 'Aanmelden mislukt: {message}',
    configFailed: 'De console kon zijn instellingen niet laden: {message}',
    roleViewer: 'meekijker: leest',
    roleAgent: 'medewerker: leest en handelt voor klanten',
    roleEditor: 'redacteur: leest en beheert experimenten',
  },
});
