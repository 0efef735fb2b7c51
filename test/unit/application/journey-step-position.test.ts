import { describe, expect, it } from 'vitest';
import { exitOf, recordPosition } from '#application/journey-step/position.ts';
import { NotYet, RunEnded, TooEarly, VisitMoved } from '#core/journey-control.ts';
import type { RunJourneyStepInput, StepProgress } from '#core/journey-step-run.ts';
import type { RunMove } from '#core/run-positions.ts';

const input = (step: Record<string, unknown>, taskToken?: string) =>
  ({
    runId: 'run-1',
    journeyId: 'payment-reminder',
    customerId: 'c-1',
    subject: { type: 'invoice', id: 'INV-1' },
    step,
    ...(taskToken ? { taskToken } : {}),
  }) as unknown as RunJourneyStepInput;

const progress = (fields: Partial<StepProgress>): StepProgress =>
  ({
    action: 'next',
    wakeAt: '2026-12-08T09:00:00.000Z',
    stepId: 'first-reminder',
    outcome: 'sent',
    pending: null,
    sentChannel: 'email',
    ...fields,
  }) as StepProgress;

const message = { stepId: 'first-reminder', templateId: 'payment-reminder', channels: ['email', 'sms'] };

describe('where the run waits after its step', () => {
  it('waits for the next step at the wake the step planned', () => {
    expect(exitOf(input(message), { progress: progress({}) })).toEqual({
      exit: 'next',
      nextWakeAt: '2026-12-08T09:00:00.000Z',
    });
  });

  it('waits inside a callback Task whose email is to be read, with no wake of its own', () => {
    const awaitingRead = progress({ pending: 'follow-up' });
    expect(exitOf(input(message, 'token'), { progress: awaitingRead })).toEqual({
      exit: 'callback',
      nextWakeAt: null,
    });
    expect(exitOf(input(message), { progress: awaitingRead })?.exit).toBe('next');
  });

  it('waits to visit the same step again at a deferral’s wake, or goes back at a moved visit', () => {
    const wake = new Date('2026-12-02T08:00:00Z');
    expect(exitOf(input(message), { error: new NotYet(wake, null, null) })).toEqual({
      exit: 'deferred',
      nextWakeAt: wake.toISOString(),
    });
    expect(exitOf(input({ stepId: 'follow-up' }), { error: new VisitMoved(wake) })).toEqual({
      exit: 'visit-moved',
      nextWakeAt: wake.toISOString(),
    });
  });

  it('records nothing for a run that ends, a preceding step run at once, a failure or a hand-over', () => {
    expect(exitOf(input(message), { progress: progress({ action: 'end' }) })).toBeUndefined();
    expect(exitOf(input(message), { error: new RunEnded('goal reached') })).toBeUndefined();
    expect(exitOf(input(message), { error: new TooEarly('pre-due-notice') })).toBeUndefined();
    expect(exitOf(input(message), { error: new Error('provider down') })).toBeUndefined();
    expect(
      exitOf(input({ stepId: 'hand-over', handOver: 'no-reaction' }), { progress: progress({}) }),
    ).toBeUndefined();
  });

  it('keys a read check apart from its step, and never fails the step when recording fails', async () => {
    const moves: RunMove[] = [];
    await recordPosition(
      {
        moveRun: async (move) => {
          moves.push(move);
          return 'moved';
        },
      },
      input({ ...message, readCheck: true }),
      { progress: progress({}) },
    );
    expect(moves.map((m) => m.to)).toEqual([{ stepKey: 'first-reminder#read-check', exit: 'next' }]);
    await expect(
      recordPosition(
        {
          moveRun: async () => {
            throw new Error('table unavailable');
          },
        },
        input(message),
        { progress: progress({}) },
      ),
    ).resolves.toBeUndefined();
  });
});
