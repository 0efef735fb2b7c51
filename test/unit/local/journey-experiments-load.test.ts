/**
 * The local runtime reads a journey's ASL file as `cdk synth` does: a bad experiment stops it with the
 * file, the state and the field, instead of running arms the journey cannot run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { loadJourneyDefinition } from '#infra/local/runtime.ts';

describe('the local runtime loading a journey', () => {
  it('refuses weights that do not sum to 100, naming the file, state and field', async () => {
    const definition = JSON.parse(
      readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'),
    );
    definition.States.FirstReminder.Parameters.Payload.step.experiment.arms[0].weight = 50;
    const file = '.local/test-journeys/weights.asl.json';
    mkdirSync(join(repoRoot, '.local/test-journeys'), { recursive: true });
    writeFileSync(join(repoRoot, file), JSON.stringify(definition));
    await expect(loadJourneyDefinition(file, {})).rejects.toThrow(
      /weights\.asl\.json: state FirstReminder: step\.experiment\.arms\[\]\.weight: the weights sum to 105, not 100/,
    );
  });
});
