import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageSteps } from '#application/journey-plan.ts';
import type { SimulatedEntry } from '#infra/cli/simulate.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';
import { firstReminderArm } from '../fixtures/experiments.ts';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};
const customersFile = join(repoRoot, 'test/fixtures/simulate/customers.json');

/** Runs the `klantreis` bin of package.json as a process, the way npx runs it. */
function klantreis(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, manifest.bin.klantreis ?? 'missing'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('klantreis simulate', () => {
  // Thursday 24 December 2026, 21:00 in Amsterdam: Christmas and Boxing Day are next.
  const onChristmasEve = [
    'simulate',
    '--journey',
    'payment-reminder',
    '--customers',
    customersFile,
    '--at',
    '2026-12-24T20:00:00Z',
  ];
  const run = klantreis(...onChristmasEve, '--json');
  const entries = JSON.parse(run.stdout) as SimulatedEntry[];
  const of = (customerId: string) => entries.filter((e) => e.customerId === customerId);

  it('plans the message steps of the journey, as written in its ASL file, along its longest path', () => {
    expect(run.status).toBe(0);
    const asl = JSON.parse(readFileSync(join(repoRoot, 'statemachines/payment-reminder.asl.json'), 'utf8'));
    const stepIds = messageSteps(asl).map((s) => (s.step as { stepId: string }).stepId);
    expect(stepIds).toEqual([
      'pre-due-notice',
      'first-reminder',
      'first-reminder-fallback',
      'second-reminder',
      'final-notice',
    ]);
    // An email nobody opens within 48 hours falls back to the step's next channel (SMS), then the
    // firmer reminder and the final notice follow; a customer with one channel has no fallback.
    expect(of('c-senior').map((e) => e.step)).toEqual([
      'first-reminder',
      'first-reminder-fallback',
      'second-reminder',
      'final-notice',
    ]);
    // Unreachable for the firmer reminder too: a person takes over, no final notice.
    expect(of('c-unreachable').map((e) => e.step)).toEqual(['first-reminder', 'second-reminder']);
    for (const id of ['c-young', 'c-reader']) {
      expect(of(id).map((e) => e.step)).toEqual(['first-reminder', 'second-reminder', 'final-notice']);
    }
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining([
          'customerId',
          'step',
          'segment',
          'channel',
          'fallbacks',
          'sendAt',
          'localSendAt',
          'timezone',
          'template',
          'variant',
          'locale',
          'skipped',
          'reasons',
        ]),
      );
    }
  });

  it('skips the holidays and the weekend in the customer zone, falls back to SMS, and plans the second reminder a week later', () => {
    const [first, fallback, second] = of('c-senior');
    expect(first).toMatchObject({
      segment: 'senior',
      channel: 'email',
      fallbacks: ['sms'],
      timezone: 'Europe/Amsterdam',
      template: 'payment-reminder',
      // The first reminder's experiment: the text of the customer's arm (control: the segment's tone).
      variant: firstReminderArm('c-senior').variant ?? 'friendly',
      locale: 'nl',
      skipped: null,
    });
    expect(first?.localSendAt?.slice(0, 13)).toBe('2026-12-28T10');
    expect(first?.reasons).toContain('skipped 2026-12-25: public holiday in NL (Christmas Day)');
    // Unread after 48 hours: the SMS goes in the window two days later.
    expect(fallback).toMatchObject({ channel: 'sms', fallbacks: [], skipped: null });
    expect(Date.parse(fallback?.sendAt ?? '') - Date.parse(first?.sendAt ?? '')).toBeGreaterThanOrEqual(
      48 * 3_600_000,
    );
    // A week after the reminder, deliberately on the channel the last message (the SMS) did not use.
    expect(second).toMatchObject({ channel: 'email', variant: 'firm', skipped: null });
    expect(Date.parse(second?.sendAt ?? '') - Date.parse(first?.sendAt ?? '')).toBeGreaterThanOrEqual(
      7 * 86_400_000,
    );
    expect(second?.reasons.join('\n')).toMatch(/supporting channel: not sms/);
  });

  it("uses the country's main zone when the customer has none, and says so", () => {
    const [first] = of('c-young');
    expect(first).toMatchObject({
      segment: 'young-digital',
      channel: 'sms',
      fallbacks: [],
      timezone: 'America/New_York',
    });
    // 15:00 in New York on 24 December: not a US public holiday, inside the young-digital window.
    expect(first?.localSendAt?.slice(0, 13)).toBe('2026-12-24T15');
    expect(first?.reasons).toContain('timezone America/New_York: main zone of US');
    expect(first?.reasons).toContain('email dropped: no address');
  });

  it('reports an unreachable customer as skipped, with the reasons', () => {
    for (const entry of of('c-unreachable')) {
      expect(entry).toMatchObject({ channel: null, sendAt: null, skipped: 'no-reachable-channel' });
      expect(entry.reasons).toContain('no reachable channel for service');
    }
  });

  it('sends in the hour a customer reads email most, from the events in the file', () => {
    const [first] = of('c-reader');
    expect(first?.localSendAt?.slice(11, 13)).toBe('15');
    expect(first?.reasons.join('\n')).toMatch(/send-time optimisation: 15:00 local/);
    expect(first?.reasons.join('\n')).toMatch(/event #4 ignored: occurredAt/);
  });

  it('reports malformed customers with their validation errors and no personal data, and plans the rest', () => {
    const broken = of('c-broken');
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ step: null, channel: null, skipped: 'invalid-customer' });
    expect(broken[0]?.reasons[0]).toMatch(/^invalid customer #5: .*country: .*email: /);
    expect(broken[0]?.reasons.join('\n')).not.toContain('broken-address-at-example');
    const notAnObject = entries.filter((e) => e.customerId === null);
    expect(notAnObject).toHaveLength(1);
    expect(notAnObject[0]?.reasons[0]).toMatch(/^invalid customer #6: /);
  });

  it('prints a table with the reasons without --json', () => {
    const table = klantreis(...onChristmasEve);
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^customer\s+step\s+segment\s+channel \(fallbacks\)/);
    expect(table.stdout).toMatch(/c-senior\s+first-reminder\s+senior\s+email \(sms\)\s+2026-12-28 10:/);
    expect(table.stdout).toContain('    - skipped 2026-12-25: public holiday in NL (Christmas Day)');
  });

  it('exits 3 on invalid content, printing each problem with its file and place, no stack', () => {
    const policy = JSON.parse(readFileSync(join(repoRoot, 'templates/policy.json'), 'utf8'));
    delete policy.segments[1].windows;
    policy.segments[0].tone = 'frim';
    const policyFile = join(mkdtempSync(join(tmpdir(), 'simulate-')), 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
    const invalid = klantreis(...onChristmasEve, '--policy', policyFile);
    expect(invalid.status).toBe(3);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr.trim().split('\n')).toEqual([
      'The content is not valid (2 problems):',
      `  ${policyFile}: segment business: tone: "frim" is not one of friendly, firm — did you mean "firm"?`,
      `  ${policyFile}: segment senior: windows: required`,
    ]);
    const help = klantreis('simulate', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 {2}.*\n {2}1 {2}.*\n {2}2 {2}bad arguments\n {2}3 {2}invalid content/,
    );
  });

  it('exits non-zero only for bad arguments or an unreadable file', () => {
    const missing = klantreis('simulate', '--customers', customersFile);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--journey is required');
    expect(klantreis('simulate', '--journey', 'nope', '--customers', customersFile).status).toBe(2);
    expect(
      klantreis('simulate', '--journey', 'payment-reminder', '--customers', customersFile, '--at', 'soon')
        .status,
    ).toBe(2);
    expect(
      klantreis('simulate', '--journey', 'payment-reminder', '--customers', customersFile, '--bogus').status,
    ).toBe(2);
    const unreadable = klantreis(
      'simulate',
      '--journey',
      'payment-reminder',
      '--customers',
      join(repoRoot, 'no-such-file.json'),
    );
    expect(unreadable.status).toBe(1);
    expect(unreadable.stderr).toContain('cannot read the customers file');
    const notJson = klantreis(
      'simulate',
      '--journey',
      'payment-reminder',
      '--customers',
      join(repoRoot, 'README.md'),
    );
    expect(notJson.status).toBe(1);
    expect(klantreis('unknown').status).toBe(2);
  });
});
