/**
 * The generator for any journey definition the format allows: its ASL is valid Amazon States Language
 * (as Step Functions would accept it: every target exists, every state is reachable from the start),
 * keeps the Task → Wait shape, and sends every deferral back to its own Task.
 */
import aslValidator from 'asl-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateAsl } from '#infra/journeys/generate-asl.ts';
import type { JourneyDefinition } from '#infra/journeys/journey-definition.ts';

type State = Record<string, unknown>;

const stepArb = fc.record({
  handOver: fc.boolean(),
  readCheck: fc.boolean(),
  precededByPrevious: fc.boolean(),
  remindOfEarlier: fc.boolean(),
});

const definitionArb = fc
  .record({ steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }), plansFirstWake: fc.boolean() })
  .map(({ steps, plansFirstWake }): JourneyDefinition => {
    let remindOfUsed = false;
    return {
      id: 'random',
      subject: 'account',
      comment: 'A journey the property draws.',
      timeoutDays: 30,
      ...(plansFirstWake ? { plansFirstWake, firstWakeWait: { state: 'WaitForFirstStep' } } : {}),
      steps: steps.map((flags, index) => {
        const stepId = `step-${index + 1}`;
        if (flags.handOver) return { config: { stepId, handOver: `reason-${index + 1}` } };
        const config: Record<string, unknown> = { stepId, templateId: 't', channels: ['email'] };
        if (flags.readCheck) config.followUpUnreadHours = 48;
        if (flags.precededByPrevious && index > 0) config.precededBy = { stepId: `step-${index}` };
        if (flags.remindOfEarlier && index > 0 && !remindOfUsed) {
          remindOfUsed = true;
          config.remindOfMovedVisit = 'step-1';
        }
        return { config };
      }),
    };
  });

function targetsOf(state: State): string[] {
  const catches = (state.Catch ?? []) as Array<{ Next: string }>;
  return [...(typeof state.Next === 'string' ? [state.Next] : []), ...catches.map((c) => c.Next)];
}

describe('generateAsl, for any definition', () => {
  it('writes valid ASL whose every state is reachable from the start', () => {
    fc.assert(
      fc.property(definitionArb, (definition) => {
        const asl = generateAsl(definition);
        const filled = JSON.parse(
          JSON.stringify(asl).replaceAll(
            `\${RunJourneyStepFunctionArn}`,
            'arn:aws:lambda:eu-west-1:123456789012:function:f',
          ),
        );
        const result = aslValidator(filled);
        expect(result.errorsText('\n')).toBe('');
        const reached = new Set<string>([asl.StartAt]);
        const queue = [asl.StartAt];
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
          const state = asl.States[name];
          expect(state, `${name} is a target`).toBeDefined();
          for (const target of targetsOf(state as State)) {
            if (!reached.has(target)) {
              reached.add(target);
              queue.push(target);
            }
          }
        }
        expect([...reached].sort()).toEqual(Object.keys(asl.States).sort());
      }),
      // The ASL validator takes about a tenth of a second per definition.
      { numRuns: 40 },
    );
  });

  it('keeps the Task → Wait shape: a Task goes on to a Wait or ends, and a deferral comes back to its Task', () => {
    fc.assert(
      fc.property(definitionArb, (definition) => {
        const asl = generateAsl(definition);
        for (const [name, state] of Object.entries(asl.States)) {
          expect(state.Type, name).not.toBe('Choice');
          if (state.Type === 'Task' && name !== 'HandOverFailed') {
            if (state.End !== true) expect(asl.States[state.Next as string]?.Type, name).toBe('Wait');
          }
          if (name.startsWith('Defer')) {
            const task = name.slice('Defer'.length);
            expect(asl.States[state.Next as string]?.Next, name).toBe(task);
          }
        }
      }),
    );
  });
});
