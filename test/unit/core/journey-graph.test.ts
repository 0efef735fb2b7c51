import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journeyDefinitions } from '#application/journey-definitions.ts';
import { batches, journeys } from '#catalog/catalog.ts';
import {
  countsByState,
  journeyGraphOf,
  positionKey,
  positionOfKey,
  START_POSITION,
  stateAtPosition,
} from '#core/journey-graph.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const definitionOf = (file: string) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8'));

/** Every state of a definition with what leads out of it, read straight from the ASL JSON. */
function aslTransitions(definition: { States: Record<string, Record<string, unknown>> }) {
  const states: string[] = [];
  const edges: string[] = [];
  const walk = (def: { States: Record<string, Record<string, unknown>> }) => {
    for (const [name, state] of Object.entries(def.States)) {
      states.push(name);
      if (state.Next) edges.push(`${name} next ${state.Next}`);
      if (state.Default) edges.push(`${name} default ${state.Default}`);
      for (const c of (state.Choices as { Next: string }[] | undefined) ?? [])
        edges.push(`${name} choice ${c.Next}`);
      for (const r of (state.Retry as { ErrorEquals: string[] }[] | undefined) ?? [])
        edges.push(`${name} retry ${name} ${r.ErrorEquals.join('|')}`);
      for (const c of (state.Catch as { ErrorEquals: string[]; Next: string }[] | undefined) ?? [])
        edges.push(`${name} catch ${c.Next} ${c.ErrorEquals.join('|')}`);
      const processor = (state.ItemProcessor ?? state.Iterator) as typeof def | undefined;
      if (processor) walk(processor);
      for (const branch of (state.Branches as (typeof def)[] | undefined) ?? []) walk(branch);
    }
  };
  walk(definition);
  return { states, edges };
}

describe('journey graphs drawn from the ASL files', () => {
  it('bundles exactly the catalog’s journeys, as the files the stack deploys', () => {
    expect(Object.keys(journeyDefinitions).sort()).toEqual(journeys.map((j) => j.id).sort());
    for (const journey of journeys) {
      expect(journeyDefinitions[journey.id]).toEqual(definitionOf(journey.definitionFile));
    }
  });

  for (const spec of [...journeys, ...batches]) {
    it(`${spec.definitionFile}: every state and every edge (Next, Choice, Default, Catch, Retry)`, () => {
      const definition = definitionOf(spec.definitionFile);
      const graph = journeyGraphOf(spec.id, definition);
      const expected = aslTransitions(definition);
      expect(graph.startAt).toBe(definition.StartAt);
      expect(graph.states.map((s) => s.name).sort()).toEqual(expected.states.sort());
      expect(
        graph.edges
          .map((e) => `${e.from} ${e.kind} ${e.to}${e.errors ? ` ${e.errors.join('|')}` : ''}`)
          .sort(),
      ).toEqual(expected.edges.sort());
    });
  }

  it('marks the message steps with their config, the read check and the hand-overs apart', () => {
    const graph = journeyGraphOf('payment-reminder', journeyDefinitions['payment-reminder']);
    const byName = new Map(graph.states.map((s) => [s.name, s]));
    expect(byName.get('SecondReminder')?.step).toMatchObject({
      key: 'second-reminder',
      kind: 'message',
      config: {
        templateId: 'payment-reminder',
        channels: ['email', 'sms', 'letter', 'phone'],
        tone: 'firm',
        channelOrder: 'supporting',
      },
    });
    expect(byName.get('PreDueNotice')?.step?.config.onlyIf).toEqual({ kind: 'before', of: 'dueDate' });
    expect(byName.get('FirstReminderUnread')?.step).toMatchObject({
      key: 'first-reminder#read-check',
      kind: 'read-check',
    });
    expect(byName.get('HandOverNoReaction')?.step?.kind).toBe('hand-over');
    expect(byName.get('FirstReminder')?.waitsForCallback).toBe(true);
    expect(byName.get('WaitForFirstStep')?.step).toBeUndefined();
    expect(
      graph.states
        .filter((s) => s.terminal)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['Done', 'Failed', 'HandOverNoReaction']);
  });

  it('refuses a definition whose edge leads nowhere, or whose two Tasks run one step', () => {
    expect(() =>
      journeyGraphOf('broken', { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 1, Next: 'B' } } }),
    ).toThrow(/A leads to no state B/);
    const task = (stepId: string) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { step: { stepId } } },
      End: true,
    });
    expect(() =>
      journeyGraphOf('twice', {
        StartAt: 'A',
        States: { A: { ...task('s'), End: undefined, Next: 'B' }, B: task('s') },
      }),
    ).toThrow(/A and B both run step s/);
  });
});

describe('where a run at a position waits', () => {
  const payment = journeyGraphOf('payment-reminder', journeyDefinitions['payment-reminder']);
  const appointment = journeyGraphOf('appointment', journeyDefinitions.appointment);

  it('resolves each exit by the edges the run follows, through Pass states', () => {
    expect(stateAtPosition(payment, START_POSITION)).toBe('WaitForFirstStep');
    expect(stateAtPosition(payment, { stepKey: 'first-reminder', exit: 'next' })).toBe(
      'WaitForSecondReminder',
    );
    expect(stateAtPosition(payment, { stepKey: 'first-reminder', exit: 'deferred' })).toBe(
      'WaitAgainFirstReminder',
    );
    expect(stateAtPosition(payment, { stepKey: 'first-reminder', exit: 'callback' })).toBe('FirstReminder');
    expect(stateAtPosition(payment, { stepKey: 'first-reminder#read-check', exit: 'next' })).toBe(
      'WaitForSecondReminder',
    );
    expect(stateAtPosition(appointment, { stepKey: 'follow-up', exit: 'visit-moved' })).toBe(
      'WaitForMovedReminder',
    );
    expect(stateAtPosition(payment, { stepKey: 'no-such-step', exit: 'next' })).toBeUndefined();
  });

  it('puts every message step’s waits in a Wait state of its journey', () => {
    for (const journey of journeys) {
      const graph = journeyGraphOf(journey.id, journeyDefinitions[journey.id]);
      for (const state of graph.states.filter((s) => s.step && s.step.kind !== 'hand-over')) {
        const key = state.step?.key as string;
        for (const exit of ['next', 'deferred'] as const) {
          const at = stateAtPosition(graph, { stepKey: key, exit });
          // The appointment's follow-up and an instalment's nudge are their journey's last message
          // steps: after them the run ends.
          if (at === undefined)
            expect([
              { journey: 'appointment', key: 'follow-up', exit: 'next' },
              { journey: 'payment-arrangement', key: 'instalment-nudge', exit: 'next' },
            ]).toContainEqual({ journey: journey.id, key, exit });
          else
            expect(graph.states.find((s) => s.name === at)?.type, `${journey.id} ${key}:${exit}`).toBe(
              'Wait',
            );
        }
      }
    }
  });

  it('counts runs per state from the counts per position, and keeps unknown positions apart', () => {
    const counts = {
      [positionKey({ stepKey: 'first-reminder', exit: 'next' })]: 3,
      [positionKey({ stepKey: 'first-reminder#read-check', exit: 'next' })]: 2,
      [positionKey({ stepKey: 'second-reminder', exit: 'deferred' })]: 1,
      [positionKey(START_POSITION)]: 4,
      'renamed-step:next': 5,
      'final-notice:next': 0,
    };
    const { byState, unplaced } = countsByState(payment, counts);
    expect(byState.WaitForSecondReminder).toBe(5);
    expect(byState.WaitAgainSecondReminder).toBe(1);
    expect(byState.WaitForFirstStep).toBe(4);
    expect(byState.WaitForHandOver).toBe(0);
    expect(unplaced).toBe(5);
  });

  it('reads back every position key it writes, and no other', () => {
    expect(positionOfKey(positionKey({ stepKey: 'first-reminder#read-check', exit: 'deferred' }))).toEqual({
      stepKey: 'first-reminder#read-check',
      exit: 'deferred',
    });
    expect(positionOfKey('first-reminder:sideways')).toBeUndefined();
    expect(positionOfKey(':next')).toBeUndefined();
  });
});
