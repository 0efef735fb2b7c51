import { describe, expect, it } from 'vitest';
import { classifySmsReply } from '#core/sms-reply.ts';

describe('classifySmsReply', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop. ',
    'STOPPEN',
    'Stoppen!',
    'stop alles',
    'STOP ALL',
    'Unsubscribe',
    'afmelden',
    'Uitschrijven',
    'opt-out',
    'Geen sms',
    'cancel',
    'END',
    'quit',
    'Opzeggen',
  ])('opts out on %j and needs no person', (text) => {
    expect(classifySmsReply(text)).toMatchObject({ kind: 'opt-out', escalate: false });
  });

  it('opts out on a keyword followed by more text, and hands the rest to a person', () => {
    expect(classifySmsReply('Stop met die berichten, ik heb al betaald')).toEqual({
      kind: 'opt-out',
      keyword: 'STOP',
      escalate: true,
    });
    expect(classifySmsReply('STOP ALLES aub')).toMatchObject({ keyword: 'STOP ALLES', escalate: true });
  });

  it.each([
    'Ik heb gisteren betaald',
    'End of the month I will pay',
    'Cancel my contract please',
    'Opzeggen, kan dat?',
    'Can you stop by tomorrow?',
    'Please don’t stop',
    '',
  ])('treats %j as a reply for a person, not an opt-out', (text) => {
    expect(classifySmsReply(text)).toEqual({ kind: 'reply', escalate: true });
  });
});
