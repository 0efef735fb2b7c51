/**
 * Experiments on a message step: the config rules, each refused with its field named, and the arm a
 * customer is in (deterministic, the carried arm kept, the reasons that say so).
 */
import { describe, expect, it } from 'vitest';
import { armOfRun, armReasons, assignArm, type Experiment, ExperimentSchema } from '#core/experiment.ts';
import { armChange, experimentProblems } from '#core/experiment-rules.ts';
import { MessageStepConfigSchema } from '#core/journey-step-run.ts';

const demo: Experiment = {
  id: 'first-reminder-text',
  arms: [
    { id: 'control', weight: 45, variant: 'friendly' },
    { id: 'direct', weight: 45, variant: 'direct' },
    { id: 'holdout', weight: 10, holdout: true },
  ],
};
const step = { channels: ['email', 'sms'] as const };

const fieldsOf = (
  experiment: Experiment,
  context: Parameters<typeof experimentProblems>[1] = { ...step, channels: ['email', 'sms'] },
) => experimentProblems(experiment, context).map((p) => p.field);

describe('experiment config', () => {
  it('accepts the demo experiment: two text variants and a 10 % holdout', () => {
    expect(experimentProblems(demo, { channels: ['email', 'sms'] })).toEqual([]);
  });

  it('refuses weights that do not sum to 100, naming the weights', () => {
    const problems = experimentProblems(
      {
        ...demo,
        arms: [
          { id: 'a', weight: 50 },
          { id: 'b', weight: 40 },
        ],
      },
      { channels: ['email'] },
    );
    expect(problems).toEqual([
      { field: 'experiment.arms[].weight', problem: expect.stringContaining('sum to 90, not 100') },
    ]);
  });

  it('refuses duplicate arm ids and two holdouts, naming the arm', () => {
    expect(
      fieldsOf({
        id: 'x',
        arms: [
          { id: 'a', weight: 40, holdout: true },
          { id: 'a', weight: 40 },
          { id: 'c', weight: 20, holdout: true },
        ],
      }),
    ).toEqual(['experiment.arms[1].id', 'experiment.arms[2].holdout']);
  });

  it('refuses a holdout on a mandatory step, naming the holdout', () => {
    const problems = experimentProblems(demo, { channels: ['email', 'sms'], mandatory: true });
    expect(problems).toEqual([
      { field: 'experiment.arms[2].holdout', problem: expect.stringContaining('mandatory step') },
    ]);
  });

  it('refuses a channel the step does not allow, and a channel named twice', () => {
    const experiment: Experiment = {
      id: 'x',
      arms: [
        { id: 'a', weight: 50, channelOrder: ['sms', 'sms'] },
        { id: 'b', weight: 50, channelOrder: ['sms'] },
      ],
    };
    expect(fieldsOf(experiment, { channels: ['email'] })).toEqual([
      'experiment.arms[0].channelOrder[0]',
      'experiment.arms[0].channelOrder[1]',
      'experiment.arms[0].channelOrder[1]',
      'experiment.arms[1].channelOrder[0]',
    ]);
  });

  it('refuses a text variant missing in any locale of the template, naming the arm and the locale', () => {
    const problems = experimentProblems(demo, {
      channels: ['email', 'sms'],
      variantsByLocale: { nl: ['direct', 'firm', 'friendly'], en: ['firm', 'friendly'] },
    });
    expect(problems).toEqual([
      {
        field: 'experiment.arms[1].variant',
        problem: expect.stringContaining('does not exist for locale en'),
      },
    ]);
  });

  it('refuses a holdout that names a change', () => {
    expect(
      fieldsOf({
        id: 'x',
        arms: [
          { id: 'a', weight: 90 },
          { id: 'h', weight: 10, holdout: true, variant: 'firm' },
        ],
      }),
    ).toEqual(['experiment.arms[1].variant']);
  });

  it('the step schema takes an experiment and a mandatory flag, and refuses an arm field it does not know', () => {
    const step = {
      stepId: 'first-reminder',
      templateId: 'payment-reminder',
      purpose: 'service',
      channels: ['email', 'sms'],
      mandatory: false,
      experiment: demo,
    };
    expect(MessageStepConfigSchema.parse(step).experiment).toEqual(demo);
    const typo = {
      ...step,
      experiment: { ...demo, arms: [...demo.arms, { id: 'x', weight: 1, tone: 'firm' }] },
    };
    const parsed = MessageStepConfigSchema.safeParse(typo);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['experiment.arms.3']);
  });

  it('the schema refuses non-integer weights and unknown arm fields', () => {
    expect(
      ExperimentSchema.safeParse({
        id: 'x',
        arms: [
          { id: 'a', weight: 50.5 },
          { id: 'b', weight: 49.5 },
        ],
      }).success,
    ).toBe(false);
    expect(
      ExperimentSchema.safeParse({
        id: 'x',
        arms: [
          { id: 'a', weight: 50, tone: 'firm' },
          { id: 'b', weight: 50 },
        ],
      }).success,
    ).toBe(false);
  });
});

describe('arm assignment', () => {
  it('gives a customer the same arm every time', () => {
    for (const id of ['c-1', 'c-2', 'sanne', 'x'.repeat(64)]) {
      expect(assignArm(demo, id).arm.id).toBe(assignArm(demo, id).arm.id);
    }
  });

  it('splits customers anew per experiment', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `customer-${i}`);
    const other = { ...demo, id: 'second-reminder-text' };
    const same = ids.filter((id) => assignArm(demo, id).arm.id === assignArm(other, id).arm.id).length;
    // Independent splits agree for about 0.45² + 0.45² + 0.1² = 41.5 % of customers.
    expect(same / ids.length).toBeGreaterThan(0.3);
    expect(same / ids.length).toBeLessThan(0.55);
  });

  it('keeps the arm the run carries, and assigns again when the carried arm is not in this experiment', () => {
    const assigned = assignArm(demo, 'c-7').arm.id;
    const other = demo.arms.find((a) => a.id !== assigned)?.id as string;
    expect(armOfRun(demo, 'c-7', { id: demo.id, arm: other }).arm.id).toBe(other);
    expect(armOfRun(demo, 'c-7', { id: demo.id, arm: 'gone' }).arm.id).toBe(assigned);
    expect(armOfRun(demo, 'c-7', { id: 'another', arm: other }).arm.id).toBe(assigned);
    expect(armOfRun(demo, 'c-7', undefined).arm.id).toBe(assigned);
  });

  it('says which arm and what it changes', () => {
    const direct = { experimentId: demo.id, arm: demo.arms[1] as Experiment['arms'][number] };
    expect(armReasons(direct)).toEqual([
      'experiment first-reminder-text: arm direct (weight 45)',
      'text variant direct: set by arm direct',
    ]);
    expect(armChange({ id: 'h', weight: 10, holdout: true })).toBe('sends nothing');
    expect(armChange({ id: 'c', weight: 10 })).toBe('no change');
    expect(
      armChange({ id: 's', weight: 10, channelOrder: ['sms', 'email'], sendAt: { delayHours: 8 } }),
    ).toBe('channels sms>email, send +8 h');
  });
});
