import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { EmailSender } from '#core/ports.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, appointmentOf, customerViews, startE2eStack, startRuns } from '../fixtures/e2e.ts';
import { connectionTimeoutError, requestTimeoutError } from '../fixtures/sdk-error.ts';

// Appointment confirmations (sent at once) whose provider answer is lost, once each.
const customer = (id: string): CustomerProfile => ({
  ...amsterdam,
  id,
  name: { given: 'Emma' },
  email: `${id}@example.nl`,
});
/** SES took the email (it is in the outbox, its events come), then the answer was lost. */
const acceptedThenLost = customer('lost-after-accept');
/** The request went out and SES never took it (no outbox entry, no event). */
const lostBeforeAccept = customer('lost-before-accept');
/** The request never left: every socket busy, the connection timeout fired. */
const neverLeft = customer('never-left');
const customers = [acceptedThenLost, lostBeforeAccept, neverLeft];

/** Provider calls per address for the confirmation. */
const calls = new Map<string, number>();
/** Fault injection around the provider (the local feedback loop sits inside it, next to SES). */
const losingAnswers = (ses: EmailSender): EmailSender => ({
  sendEmail: async (message) => {
    if (message.tags.step !== 'confirmation') return ses.sendEmail(message);
    const first = !calls.has(message.to);
    calls.set(message.to, (calls.get(message.to) ?? 0) + 1);
    if (first && message.to === acceptedThenLost.email) {
      await ses.sendEmail(message);
      throw requestTimeoutError();
    }
    if (first && message.to === lostBeforeAccept.email) throw requestTimeoutError();
    if (first && message.to === neverLeft.email) throw connectionTimeoutError();
    return ses.sendEmail(message);
  },
});

let stack: LocalStack;
const { executionOf, emailsTo, readTimelines, entriesOf } = customerViews(() => stack);
/**
 * The confirmation as recorded, and the outbox: every email SES took for the customer is one the
 * conversation records as sent (a second confirmation would be one more).
 */
async function confirmationOf(c: CustomerProfile) {
  const entries = entriesOf(c, { kind: 'message', stepId: 'confirmation' });
  const emails = await emailsTo(c);
  expect(emails).toHaveLength(entriesOf(c, { kind: 'message', outcome: 'sent' }).length);
  const sent = entries.filter((e) => e.outcome === 'sent');
  return { entries, emails: emails.filter((e) => sent.some((s) => s.providerMessageId === e.messageId)) };
}

beforeAll(async () => {
  stack = await startE2eStack({ wrap: { email: losingAnswers } });
  await startRuns(stack, 'appointment', customers, appointmentOf);
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a send whose provider answer is lost', () => {
  it('is linked by its event when the provider had accepted it: one confirmation, never a second', async () => {
    expect(calls.get(acceptedThenLost.email as string)).toBe(1);
    const execution = executionOf(acceptedThenLost);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const { entries, emails } = await confirmationOf(acceptedThenLost);
    expect(entries.map((e) => e.outcome)).toEqual(['sent']);
    expect(emails).toHaveLength(1);
    expect(entries[0]?.providerMessageId).toBe(emails[0]?.messageId);
  });

  it('is sent once after its bound when the provider never took it', async () => {
    // Two calls: the lost one, and the one at the bound.
    expect(calls.get(lostBeforeAccept.email as string)).toBe(2);
    const execution = executionOf(lostBeforeAccept);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const { entries, emails } = await confirmationOf(lostBeforeAccept);
    // The conversation says what happened: maybe sent and waited for, then sent.
    expect(entries.map((e) => e.outcome)).toEqual(['unknown', 'sent']);
    expect(emails).toHaveLength(1);
    // Sent when the step came back at the bound (Klantreis.NotYet): fifteen minutes after the first call.
    expect(Date.parse(entries[1]?.at ?? '') - Date.parse(entries[0]?.at ?? '')).toBe(15 * 60_000);
    expect(execution.statesEntered.slice(0, 4)).toEqual([
      'Confirmation',
      'DeferConfirmation',
      'WaitAgainConfirmation',
      'Confirmation',
    ]);
    expect(entries[1]?.reasons).toEqual([
      'no provider event confirmed attempt 1 within its bound: sent again',
    ]);
  });

  it('is tried again as a busy send when the request never left: sent once, no waiting for events', async () => {
    expect(calls.get(neverLeft.email as string)).toBe(2);
    const execution = executionOf(neverLeft);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(execution.statesEntered).toContain('WaitAgainConfirmation');
    const { entries, emails } = await confirmationOf(neverLeft);
    expect(entries.map((e) => e.outcome)).toEqual(['sent']);
    expect(emails).toHaveLength(1);
  });
});
