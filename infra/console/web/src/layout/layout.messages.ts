import { defineMessages } from '../i18n/define-messages.ts';

export const layoutMessages = defineMessages({
  en: {
    skipToContent: 'Skip to content',
    appName: 'Klantreis console',
    stage: 'Stage',
    signedInAs: 'Signed in as {name}',
    role: 'role: {role}',
    noRole: 'no role',
    signOut: 'Sign out',
    language: 'Language',
    mainNavigation: 'Main',
    roleViewer: 'viewer',
    roleAgent: 'agent',
    roleEditor: 'editor',
  },
  nl: {
    skipToContent: 'Naar de inhoud',
    appName: 'Klantreis-console',
    stage: 'Omgeving',
    signedInAs: 'Aangemeld als {name}',
    role: 'rol: {role}',
    noRole: 'geen rol',
    signOut: 'Afmelden',
    language: 'Taal',
    mainNavigation: 'Hoofdmenu',
    roleViewer: 'meekijker',
    roleAgent: 'medewerker',
    roleEditor: 'redacteur',
  },
});
