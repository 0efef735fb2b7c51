/**
 * The journeys' experiments as `npm test` checks them (the same check `cdk synth` and the simulator run):
 * the shipped demo experiment passes, and each bad experiment is refused with its file, state and field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batches, journeys } from '#catalog/catalog.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { journeyExperimentProblems, templateVariantsOf } from '#infra/content/journey-experiments.ts';

const FILE = 'statemachines/payment-reminder.asl.json';
const shipped = readFileSync(join(repoRoot, FILE), 'utf8');

/** Returns the payment reminder with the first reminder's step changed. */
function withFirstReminder(change: (step: Record<string, unknown>) => void): string {
  const definition = JSON.parse(shipped);
  change(definition.States.FirstReminder.Parameters.Payload.step);
  return JSON.stringify(definition);
}
const demoArms = () => [
  { id: 'control', weight: 45 },
  { id: 'direct', weight: 45, variant: 'direct' },
  { id: 'holdout', weight: 10, holdout: true },
];
const problemsWith = (change: (step: Record<string, unknown>) => void) =>
  journeyExperimentProblems(withFirstReminder(change), FILE);
const setArms = (arms: unknown[]) => (step: Record<string, unknown>) => {
  step.experiment = { id: 'first-reminder-text', arms };
};

describe('experiment validation', () => {
  it('passes the shipped journeys, whose demo experiment has two text variants and a 10 % holdout', () => {
    for (const { definitionFile } of [...journeys, ...batches]) {
      const text = readFileSync(join(repoRoot, definitionFile), 'utf8');
      expect(journeyExperimentProblems(text, definitionFile)).toEqual([]);
    }
    expect(JSON.parse(shipped).States.FirstReminder.Parameters.Payload.step.experiment.arms).toEqual(
      demoArms(),
    );
    expect(templateVariantsOf('payment-reminder')).toEqual({
      en: ['direct', 'firm', 'friendly'],
      nl: ['direct', 'firm', 'friendly'],
    });
  });

  it('refuses weights that do not sum to 100', () => {
    const arms = demoArms();
    arms[2] = { id: 'holdout', weight: 20, holdout: true };
    expect(problemsWith(setArms(arms))).toEqual([
      `${FILE}: state FirstReminder: step.experiment.arms[].weight: the weights sum to 110, not 100 (each weight is the arm's share in percent)`,
    ]);
  });

  it('refuses a text variant that does not exist in every locale of the template', () => {
    const arms = demoArms();
    arms[1] = { id: 'direct', weight: 45, variant: 'shouty' };
    expect(problemsWith(setArms(arms))).toEqual([
      expect.stringMatching(
        /^statemachines\/payment-reminder\.asl\.json: state FirstReminder: step\.experiment\.arms\[1\]\.variant: text variant shouty does not exist for locale en/,
      ),
      expect.stringMatching(
        /experiment\.arms\[1\]\.variant: text variant shouty does not exist for locale nl/,
      ),
    ]);
  });

  it('refuses a channel that does not exist or that the step does not allow', () => {
    const unknown = demoArms();
    unknown[0] = { id: 'control', weight: 45, channelOrder: ['push'] } as never;
    expect(problemsWith(setArms(unknown))).toEqual([
      expect.stringMatching(/state FirstReminder: step\.experiment\.arms\[0\]\.channelOrder\[0\]: /),
    ]);
    const notAllowed = demoArms();
    notAllowed[0] = { id: 'control', weight: 45, channelOrder: ['sms', 'email'] } as never;
    expect(
      problemsWith((step) => {
        setArms(notAllowed)(step);
        step.channels = ['email'];
      }),
    ).toEqual([
      `${FILE}: state FirstReminder: step.experiment.arms[0].channelOrder[0]: channel sms is not one of the step's channels (email)`,
    ]);
  });

  it('refuses duplicate arm ids and two holdouts', () => {
    expect(
      problemsWith(
        setArms([
          { id: 'control', weight: 45 },
          { id: 'control', weight: 45, holdout: true },
          { id: 'holdout', weight: 10, holdout: true },
        ]),
      ),
    ).toEqual([
      `${FILE}: state FirstReminder: step.experiment.arms[1].id: arm id control is used twice`,
      `${FILE}: state FirstReminder: step.experiment.arms[2].holdout: at most one arm may be a holdout`,
    ]);
  });

  it('refuses a holdout on a mandatory step', () => {
    expect(
      problemsWith((step) => {
        step.mandatory = true;
      }),
    ).toEqual([
      `${FILE}: state FirstReminder: step.experiment.arms[2].holdout: a mandatory step (a legally required notice) must reach everybody: no holdout`,
    ]);
  });
});
