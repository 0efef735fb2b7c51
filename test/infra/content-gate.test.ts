/**
 * The gate `cdk synth` (infra/app.ts) and `npm start` pass before they build or start anything: invalid
 * content stops them with each problem on a line, naming file, place and field, and no stack.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { contentGate } from '#infra/content/validate-content.ts';

function contentCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'klantreis-gate-'));
  cpSync(join(repoRoot, 'statemachines'), join(root, 'statemachines'), { recursive: true });
  cpSync(join(repoRoot, 'templates'), join(root, 'templates'), { recursive: true });
  return root;
}

describe('the content gate of cdk synth and npm start', () => {
  it('lets the shipped content through and writes nothing', async () => {
    const written: string[] = [];
    expect(await contentGate((text) => written.push(text))).toBe(true);
    expect(written).toEqual([]);
  });

  it('stops a policy segment without windows and a misspelt step key, each on its own line', async () => {
    const root = contentCopy();
    const policyFile = join(root, 'templates/policy.json');
    const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
    delete policy.segments[1].windows;
    writeFileSync(policyFile, JSON.stringify(policy));
    const journeyFile = join(root, 'statemachines/onboarding.journey.json');
    const journey = JSON.parse(readFileSync(journeyFile, 'utf8'));
    journey.steps[0].config.chanels = journey.steps[0].config.channels;
    delete journey.steps[0].config.channels;
    writeFileSync(journeyFile, JSON.stringify(journey));

    const written: string[] = [];
    expect(await contentGate((text) => written.push(text), { root })).toBe(false);
    const stepId = journey.steps[0].config.stepId;
    expect(written.join('\n').split('\n')).toEqual([
      'The content is not valid (2 problems):',
      `  statemachines/onboarding.journey.json: steps[0] (${stepId}): config.chanels: unknown key — did you mean "channels"? (channels is required)`,
      '  templates/policy.json: segment senior: windows: required',
    ]);
  });
});
