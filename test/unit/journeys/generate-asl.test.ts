import { describe, expect, it } from 'vitest';
import { generateAsl } from '#infra/journeys/generate-asl.ts';
import { type JourneyDefinition, parseJourneyDefinition } from '#infra/journeys/journey-definition.ts';

const welcome = {
  stepId: 'welcome',
  templateId: 'onboarding-welcome',
  purpose: 'service',
  channels: ['email'],
  next: { afterHours: 24 },
};
const nudge = {
  stepId: 'nudge',
  templateId: 'onboarding-tip',
  purpose: 'service',
  channels: ['email', 'sms'],
};

function definition(overrides: Partial<JourneyDefinition> = {}): JourneyDefinition {
  return {
    id: 'trial',
    subject: 'account',
    comment: 'A trial.',
    timeoutDays: 30,
    steps: [{ config: welcome }, { config: nudge }],
    ...overrides,
  };
}

type Catch = { ErrorEquals: string[]; Next: string };
const catchesOf = (state: Record<string, unknown> | undefined) =>
  ((state?.Catch ?? []) as Catch[]).map((c) => [c.ErrorEquals.join('|'), c.Next]);

describe('generateAsl', () => {
  it('writes one Task per step, each waking the next through a Wait, the last one ending the run', () => {
    const asl = generateAsl(definition());
    expect(asl.StartAt).toBe('Welcome');
    expect(asl.TimeoutSeconds).toBe(30 * 86_400);
    expect(Object.keys(asl.States)).toEqual([
      'Welcome',
      'DeferWelcome',
      'WaitAgainWelcome',
      'WaitForNudge',
      'Nudge',
      'DeferNudge',
      'WaitAgainNudge',
      'Done',
      'HandOverFailed',
      'Failed',
    ]);
    expect(asl.States.Welcome?.Next).toBe('WaitForNudge');
    expect(asl.States.WaitForNudge).toMatchObject({
      TimestampPath: '$.journey.progress.wakeAt',
      Next: 'Nudge',
    });
    expect(asl.States.Nudge?.End).toBe(true);
    const parameters = asl.States.Welcome?.Parameters as { Payload: { step: unknown } } | undefined;
    expect(parameters?.Payload.step).toBe(welcome);
  });

  it('defers a step to a later slot (NotYet), ends early only before the last step, and hands a failure over', () => {
    const asl = generateAsl(definition());
    expect(catchesOf(asl.States.Welcome)).toEqual([
      ['Klantreis.NotYet', 'DeferWelcome'],
      ['Klantreis.RunEnded', 'Done'],
      ['States.ALL', 'HandOverFailed'],
    ]);
    expect(catchesOf(asl.States.Nudge)).toEqual([
      ['Klantreis.NotYet', 'DeferNudge'],
      ['States.ALL', 'HandOverFailed'],
    ]);
    expect(asl.States.WaitAgainWelcome?.Next).toBe('Welcome');
  });

  it('starts with a Wait on the planned first wake when the starter plans it', () => {
    const asl = generateAsl(definition({ plansFirstWake: true }));
    expect(asl.StartAt).toBe('WaitForWelcome');
    expect(asl.States.WaitForWelcome).toMatchObject({ Type: 'Wait', Next: 'Welcome' });
  });

  it('names a hand-over step by its reason and never defers it', () => {
    const asl = generateAsl(
      definition({
        steps: [{ config: welcome }, { config: { stepId: 'hand-over', handOver: 'no-reaction' } }],
      }),
    );
    expect(catchesOf(asl.States.HandOverNoReaction)).toEqual([['States.ALL', 'HandOverFailed']]);
    expect(asl.States.DeferHandOverNoReaction).toBeUndefined();
  });

  it('makes a step that waits to be read a callback Task with its read check, which sends the supporting channel', () => {
    const read = { ...welcome, followUpUnreadHours: 48 };
    const asl = generateAsl(definition({ steps: [{ config: read }, { config: nudge }] }));
    expect(asl.States.Welcome).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSeconds: 48 * 3600,
      ResultSelector: { 'progress.$': '$' },
    });
    expect(catchesOf(asl.States.Welcome)[0]).toEqual([
      'States.Timeout|Klantreis.EmailNotRead',
      'WelcomeUnread',
    ]);
    const readCheck = asl.States.WelcomeUnread?.Parameters as { Payload: Record<string, unknown> };
    expect(readCheck.Payload.step).toEqual({ ...read, readCheck: true });
    expect(readCheck.Payload['readCheckFailed.$']).toBe('$.readCheck');
    expect(asl.States.WelcomeUnread?.Next).toBe('WaitForNudge');
  });

  it('sends a step that is too early to the step before it, which then wakes it', () => {
    const notice = { stepId: 'notice', templateId: 't-notice', channels: ['email'] };
    const reminder = { ...nudge, precededBy: { stepId: 'notice' } };
    const asl = generateAsl(definition({ steps: [{ config: notice }, { config: reminder }] }));
    expect(asl.StartAt).toBe('Nudge');
    expect(asl.States.Notice?.Next).toBe('WaitForNudge');
    expect(catchesOf(asl.States.Nudge)[0]).toEqual(['Klantreis.TooEarly', 'Notice']);
    expect(() => generateAsl(definition({ steps: [{ config: reminder }, { config: notice }] }))).toThrow(
      'Journey trial: step 1 (nudge): precededBy.stepId "notice" must be the step right before it',
    );
  });

  it('refuses two states with one name, saying how to rename one', () => {
    const notice = { stepId: 'notice', templateId: 't-notice', channels: ['email'] };
    const reminder = { ...nudge, precededBy: { stepId: 'notice' } };
    // The first wake's Wait and the Wait after the notice would both be WaitForNudge.
    const clash = definition({ plansFirstWake: true, steps: [{ config: notice }, { config: reminder }] });
    expect(() => generateAsl(clash)).toThrow(
      "Journey trial: two states named WaitForNudge; give one its own name (a step's state or wait.state, or firstWakeWait.state)",
    );
    expect(generateAsl({ ...clash, firstWakeWait: { state: 'WaitForFirstStep' } }).StartAt).toBe(
      'WaitForFirstStep',
    );
  });

  it('refuses two steps with one id', () => {
    expect(() => generateAsl(definition({ steps: [{ config: welcome }, { config: welcome }] }))).toThrow(
      'step ids used twice: welcome',
    );
  });
});

describe('parseJourneyDefinition', () => {
  const file = 'statemachines/trial.journey.json';
  const problemsOf = (value: unknown) => {
    try {
      parseJourneyDefinition(JSON.stringify(value), file);
      return 'valid';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('names every invalid field with its path, an unknown key with the nearest known one', () => {
    expect(problemsOf({ ...definition(), timeoutDays: 0, steps: [{ config: welcome, wiat: {} }] })).toBe(
      [
        'The content is not valid (2 problems):',
        `  ${file}: timeoutDays: must be > 0, got 0`,
        `  ${file}: steps[0].wiat: unknown key — did you mean "wait"?`,
      ].join('\n'),
    );
  });

  it('checks each step config as the journey step reads it, naming the step', () => {
    const { next, ...rest } = welcome;
    expect(problemsOf({ ...definition(), steps: [{ config: { ...rest, nxt: next } }] })).toBe(
      [
        'The content is not valid (1 problem):',
        `  ${file}: steps[0] (welcome): config.nxt: unknown key — did you mean "next"?`,
      ].join('\n'),
    );
  });

  it('accepts a valid definition', () => {
    expect(problemsOf(definition())).toBe('valid');
  });
});
