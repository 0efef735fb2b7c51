/**
 * The simulator plans letters and calls as the run sends them and counts them with their prices: a
 * senior with a landline and a postal address gets the payment reminder by letter, the firmer
 * reminder as a call, and the table ends with the messages and their cost per channel.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import { formatTable, parseSimulateArgs, simulate } from '#infra/cli/simulate.ts';

const senior = {
  id: 'c-post',
  locale: 'nl-NL',
  country: 'NL',
  timezone: 'Europe/Amsterdam',
  birthDate: '1950-02-28',
  phone: '+31201234567',
  address: { line1: 'Lindenlaan 7', postalCode: '3581 KB', city: 'Utrecht', country: 'NL' },
};

describe('the simulator with letters and calls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klantreis-simulate-'));
  const file = join(dir, 'customers.json');
  writeFileSync(file, JSON.stringify([senior]));
  const options = parseSimulateArgs(
    ['--journey', 'payment-reminder', '--customers', file, '--at', '2026-12-01T09:00:00Z'],
    new Date('2026-12-01T09:00:00Z'),
  );
  const { entries } = simulate(options);
  const policy = loadPolicy();
  const letter = policy.channelCosts.letter?.byCountry.NL ?? Number.NaN;
  const call = policy.channelCosts.phone?.byCountry.NL ?? Number.NaN;

  it('plans the reminders by letter and the firmer one as a call, each at its Dutch price', () => {
    const sent = entries.filter((e) => !e.skipped).map((e) => `${e.step}/${e.channel}/${e.costUsd}`);
    expect(sent).toEqual([
      `first-reminder/letter/${letter}`,
      `second-reminder/phone/${call}`,
      `final-notice/letter/${letter}`,
    ]);
  });

  it('shows each message’s cost and the messages per channel in its table', () => {
    const table = formatTable(entries);
    expect(table.split('\n')[0]).toContain('cost USD');
    expect(table).toContain(`messages by channel: letter 2 (${2 * letter} USD), phone 1 (${call} USD)`);
  });
});
