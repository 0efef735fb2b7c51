/**
 * A stage's own contact centre (`contactCentre` in `infra/stages.ts`): the journey step is told the
 * stage's settings, which it lays over the policy's (the stage value wins); a stage without them
 * calls on the policy's alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { resourceName } from '#catalog/catalog.ts';
import { withStageContactCentre } from '#core/call-planning.ts';
import { loadStage, type StageConfig } from '#infra/stages.ts';
import { type Synthesized, synthStack } from './synth.ts';

const dev = loadStage('dev');
const withCentre: StageConfig = {
  ...dev,
  contactCentre: {
    timezone: 'Europe/Brussels',
    openingHours: [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' }],
    callsPerHour: 12,
  },
};

const environmentOf = (synthesized: Synthesized, id: string): Record<string, unknown> => {
  const fn = Object.values(synthesized.template.findResources('AWS::Lambda::Function')).find(
    (r) => r.Properties.FunctionName === resourceName('dev', id),
  );
  return (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
};

let own: Synthesized;
let plain: Synthesized;
beforeAll(() => {
  own = synthStack(withCentre, { bundle: false });
  plain = synthStack(dev, { bundle: false });
});

describe('a stage’s contact centre', () => {
  it('tells the journey step the stage’s hours, zone and calls per hour, which win over the policy’s', () => {
    const env = environmentOf(own, 'run-journey-step');
    expect(JSON.parse(env.CONTACT_CENTRE as string)).toEqual(withCentre.contactCentre);
    const policy = withStageContactCentre(loadPolicy(), env.CONTACT_CENTRE as string);
    expect(policy.contactCentre).toEqual(withCentre.contactCentre);
  });

  it('leaves a stage without one on the policy’s contact centre', () => {
    expect(environmentOf(plain, 'run-journey-step').CONTACT_CENTRE).toBeUndefined();
  });
});
