/**
 * `klantreis simulate` on a journey with an experiment: each customer's arm (the assignment the step
 * Lambda makes) and what it changes; a holdout customer gets nothing at that step and the journey goes on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignArm, type Experiment } from '#core/experiment.ts';
import type { SimulatedEntry } from '#infra/cli/simulate.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const bin = join(repoRoot, 'infra/cli/klantreis.ts');
const experiment: Experiment = JSON.parse(
  readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'),
).States.FirstReminder.Parameters.Payload.step.experiment;

// Forty customers alike but for their id: enough that every arm of 45 / 45 / 10 has some.
const customers = Array.from({ length: 40 }, (_, i) => ({
  id: `sim-${i}`,
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  email: `sim-${i}@example.nl`,
  phone: '+31612345678',
}));
const file = join(mkdtempSync(join(tmpdir(), 'simulate-')), 'customers.json');
writeFileSync(file, JSON.stringify(customers));
const simulate = (...extra: string[]) =>
  spawnSync(
    process.execPath,
    [
      bin,
      'simulate',
      '--journey',
      'payment-reminder',
      '--customers',
      file,
      '--at',
      '2026-12-02T08:00:00Z',
      ...extra,
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );

describe('klantreis simulate with an experiment', () => {
  const json = simulate('--json');
  const entries = JSON.parse(json.stdout) as SimulatedEntry[];
  const first = (id: string) => entries.find((e) => e.customerId === id && e.step === 'first-reminder');

  it("shows each customer's arm, the one the step assigns, and what it changes", () => {
    expect(json.status).toBe(0);
    const arms = new Set<string>();
    for (const { id } of customers) {
      const arm = assignArm(experiment, id).arm;
      arms.add(arm.id);
      const entry = first(id);
      expect(entry).toMatchObject({ experiment: 'first-reminder-text', arm: arm.id });
      if (arm.holdout) {
        expect(entry).toMatchObject({ channel: null, skipped: 'holdout', armChange: 'sends nothing' });
      } else {
        expect(entry).toMatchObject({ channel: 'email', skipped: null, variant: arm.variant ?? 'friendly' });
      }
    }
    expect([...arms].sort()).toEqual(['control', 'direct', 'holdout']);
  });

  it('a holdout customer gets no first reminder nor its SMS follow-up, and the journey goes on a week later', () => {
    const held = customers.map((c) => c.id).filter((id) => assignArm(experiment, id).arm.holdout);
    expect(held.length).toBeGreaterThan(0);
    for (const id of held) {
      const steps = entries.filter((e) => e.customerId === id);
      expect(steps.map((e) => e.step)).toEqual(['first-reminder', 'second-reminder', 'final-notice']);
      const [reminder, second] = steps;
      expect(Date.parse(second?.sendAt ?? '') - Date.parse(reminder?.sendAt ?? '')).toBeGreaterThanOrEqual(
        7 * 86_400_000,
      );
    }
  });

  it('prints the arm and its change in the table', () => {
    const table = simulate();
    const held = customers.find((c) => assignArm(experiment, c.id).arm.holdout)?.id as string;
    const direct = customers.find((c) => assignArm(experiment, c.id).arm.id === 'direct')?.id as string;
    const line = (id: string) =>
      table.stdout.split('\n').find((l) => l.startsWith(`${id} `) && l.includes('first-reminder '));
    expect(line(held)).toMatch(/holdout: sends nothing\s+holdout$/);
    // The message's cost (USD) sits between the template and the arm.
    expect(line(direct)).toMatch(/payment-reminder\/direct\/nl\s+[\d.]+\s+direct: text direct/);
  });
});
