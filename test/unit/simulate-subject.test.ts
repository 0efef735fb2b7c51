import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { runSimulate, type SimulatedEntry } from '#infra/cli/simulate.ts';
import { repoRoot } from '#infra/constructs/repo-root.ts';

const customersFile = join(repoRoot, 'test/fixtures/simulate/customers.json');
/** Tuesday 1 December 2026, 08:00 in Amsterdam. */
const at = '2026-12-01T07:00:00Z';
const invoice = (dueDate: string) => ({
  type: 'invoice',
  id: 'INV-1',
  amount: '12.50',
  currency: 'EUR',
  dueDate,
  payUrl: 'https://pay.example.com/i/1',
});

/** Runs `klantreis simulate` in process; returns its exit code, its JSON entries and what it wrote to stderr. */
function simulate(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runSimulate(['--journey', 'payment-reminder', '--at', at, '--json', ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => new Date(at),
  });
  const entries = code === 0 ? (JSON.parse(out.join('\n')) as SimulatedEntry[]) : [];
  return { code, entries, err: err.join('\n') };
}
const local = (iso: string | null | undefined) =>
  DateTime.fromISO(iso ?? '', { zone: 'Europe/Amsterdam' }).toFormat('yyyy-MM-dd HH:mm');

describe('klantreis simulate with the run’s subject', () => {
  it('plans the notice before the due date, then the reminder the day after it, at the notice’s time of day', () => {
    const run = simulate('--customers', customersFile, '--subject', JSON.stringify(invoice('2026-12-03')));
    expect(run.code).toBe(0);
    const senior = run.entries.filter((e) => e.customerId === 'c-senior');
    expect(senior.map((e) => e.step)).toEqual([
      'pre-due-notice',
      'first-reminder',
      'first-reminder-fallback',
      'second-reminder',
      'final-notice',
    ]);
    const [notice, reminder] = senior;
    expect(local(notice?.sendAt).slice(0, 10)).toBe('2026-12-01');
    // Friday 4 December: the day after the due date, in the window at the same time of day.
    expect(local(reminder?.sendAt)).toBe(`2026-12-04 ${local(notice?.sendAt).slice(11)}`);
  });

  it('skips the notice for an invoice already due, without a note about a missing subject', () => {
    const run = simulate('--customers', customersFile, '--subject', JSON.stringify(invoice('2026-11-20')));
    expect(run.entries.filter((e) => e.customerId === 'c-senior').map((e) => e.step)[0]).toBe(
      'first-reminder',
    );
    expect(run.err).not.toMatch(/no subject given/);
  });

  it('without a subject, says the steps about its dates are planned as if it had none', () => {
    const run = simulate('--customers', customersFile);
    expect(run.err).toContain('note: no subject given: steps about its dates are planned as if it had none');
    expect(run.entries.filter((e) => e.customerId === 'c-senior').map((e) => e.step)[0]).toBe(
      'first-reminder',
    );
  });

  it('takes each customer’s own subject from the customers file, over --subject-file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-subject-'));
    const file = join(dir, 'customers.json');
    writeFileSync(
      file,
      JSON.stringify({
        customers: [
          { id: 'c-a', locale: 'nl-NL', country: 'NL', timezone: 'Europe/Amsterdam', email: 'a@example.nl' },
          { id: 'c-b', locale: 'nl-NL', country: 'NL', timezone: 'Europe/Amsterdam', email: 'b@example.nl' },
        ],
        subjects: { 'c-a': invoice('2026-12-10') },
      }),
    );
    const subjectFile = join(dir, 'subject.json');
    writeFileSync(subjectFile, JSON.stringify(invoice('2026-11-01')));
    const run = simulate('--customers', file, '--subject-file', subjectFile);
    const firstOf = (id: string) => run.entries.find((e) => e.customerId === id)?.step;
    expect(firstOf('c-a')).toBe('pre-due-notice');
    expect(firstOf('c-b')).toBe('first-reminder');
  });

  it('refuses a subject of another type, one that is not valid, or not JSON, naming the fields only', () => {
    const account = { type: 'account', id: 'ACC-1', activationUrl: 'https://portal.example.com/a' };
    const wrongType = simulate('--customers', customersFile, '--subject', JSON.stringify(account));
    expect(wrongType.code).toBe(1);
    expect(wrongType.err).toContain('payment-reminder is about subject type invoice');
    const invalid = simulate('--customers', customersFile, '--subject', JSON.stringify(invoice('soon')));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/the subject is not valid: dueDate/);
    expect(invalid.err).not.toContain('soon');
    expect(simulate('--customers', customersFile, '--subject', '{not json').code).toBe(2);
  });
});
