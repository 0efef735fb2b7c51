import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journeys } from '#catalog/catalog.ts';
import { CONTROL_ERRORS } from '#core/journey-control.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { type AslState, allStates } from '#infra/local/asl.ts';

type Catcher = { ErrorEquals: string[]; ResultPath?: string; Next: string };
const RUN_STEP_FUNCTION = '$' + '{RunJourneyStepFunctionArn}';

describe.each(journeys.map((j) => [j.id, j.definitionFile] as const))(
  'journey %s (one Task per message step: Task → Wait)',
  (_id, file) => {
    const definition = JSON.parse(readFileSync(join(repoRoot, file), 'utf8'));
    const states = allStates(definition);
    const stateOf = (name: string | undefined): AslState | undefined => (name ? states.get(name) : undefined);
    const stepTasks = [...states].filter(
      ([name, s]) =>
        s.Type === 'Task' &&
        name !== 'HandOverFailed' &&
        JSON.stringify(s.Parameters ?? {}).includes(RUN_STEP_FUNCTION),
    );

    it('has no Choice state at all: a step’s rare outcomes are Catches', () => {
      expect([...states.values()].filter((s) => s.Type === 'Choice')).toEqual([]);
    });

    it.each(stepTasks.map(([name]) => name))(
      '%s: its usual path is a Wait (the next step’s) or the end of the run',
      (name) => {
        const task = stateOf(name) as AslState;
        if (task.End === true) return;
        expect(stateOf(task.Next as string)).toMatchObject({
          Type: 'Wait',
          TimestampPath: '$.journey.progress.wakeAt',
        });
      },
    );

    it.each(stepTasks.map(([name]) => name))(
      '%s: catches the control errors by name before States.ALL, and a deferral comes back to the same Task',
      (name) => {
        const catchers = ((stateOf(name) as AslState).Catch ?? []) as Catcher[];
        const names = catchers.flatMap((c) => c.ErrorEquals);
        expect(names.at(-1)).toBe('States.ALL');
        // A callback Task (`.waitForTaskToken`) also catches its read check's end: timed out, or not readable.
        const callback = String((stateOf(name) as AslState).Resource).endsWith('.waitForTaskToken');
        const caught = [...CONTROL_ERRORS, ...(callback ? ['States.Timeout', 'Klantreis.EmailNotRead'] : [])];
        expect(names.filter((n) => n !== 'States.ALL').every((n) => caught.includes(n))).toBe(true);
        const deferral = catchers.find((c) => c.ErrorEquals.includes('Klantreis.NotYet'));
        if (!deferral) return;
        const parse = stateOf(deferral.Next) as AslState;
        expect(parse).toMatchObject({
          Type: 'Pass',
          Parameters: { 'wake.$': 'States.StringToJson($.journey.deferral.Cause)' },
          ResultPath: '$.journey.deferral',
        });
        expect(stateOf(parse.Next as string)).toMatchObject({
          Type: 'Wait',
          TimestampPath: '$.journey.deferral.wake.errorMessage',
          Next: name,
        });
        // The Task gets the deferral back (it keeps the slot it waited for).
        const payload = ((stateOf(name) as AslState).Parameters as { Payload: Record<string, unknown> })
          .Payload;
        expect(payload['journey.$']).toBe('$.journey');
      },
    );

    it('ends a run early through Klantreis.RunEnded into a Succeed state', () => {
      for (const [, task] of stepTasks) {
        const ended = ((task.Catch ?? []) as Catcher[]).find((c) =>
          c.ErrorEquals.includes('Klantreis.RunEnded'),
        );
        if (ended) expect(stateOf(ended.Next)).toMatchObject({ Type: 'Succeed' });
      }
    });
  },
);
