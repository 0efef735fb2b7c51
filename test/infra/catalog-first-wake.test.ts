/**
 * The catalog's `plansFirstWake` says whether a starter plans a run's first wake (one Query of the
 * customer's behaviour). It must match the ASL: true exactly when the journey starts with a Wait on
 * `$.journey.progress.wakeAt`; otherwise the plan is never read, or a journey's first Wait has none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JourneySpec, journeys } from '#catalog/catalog.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

describe('catalog: plansFirstWake matches the journey’s first state', () => {
  for (const journey of journeys as readonly JourneySpec[]) {
    it(journey.id, () => {
      const asl = JSON.parse(readFileSync(join(repoRoot, journey.definitionFile), 'utf8')) as {
        StartAt: string;
        States: Record<string, { Type: string; TimestampPath?: string }>;
      };
      const first = asl.States[asl.StartAt];
      const startsWithPlannedWait =
        first?.Type === 'Wait' && first.TimestampPath === '$.journey.progress.wakeAt';
      expect(journey.plansFirstWake === true).toBe(startsWithPlannedWait);
    });
  }
});
