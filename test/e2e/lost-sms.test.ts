/**
 * An SMS whose provider answer is lost, sent with End User Messaging SMS (`smsSender:
 * end-user-messaging`): its events carry the send as context, so it is reconciled as an email is —
 * linked by its event when End User Messaging had accepted it, sent once more after its bound when it
 * had not. With SNS the same loss goes to the supporting channel (`send-step-failures.test.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { SmsSender } from '#core/ports.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, appointmentOf, customerViews, startE2eStack, startRuns } from '../fixtures/e2e.ts';
import { requestTimeoutError } from '../fixtures/sdk-error.ts';

// Appointment confirmations (sent at once, by SMS: no email address) whose provider answer is lost once.
const customer = (id: string, phone: string): CustomerProfile => ({
  ...amsterdam,
  id,
  name: { given: 'Sem' },
  phone,
});
/** End User Messaging took the SMS (it is in the outbox, its events come), then the answer was lost. */
const acceptedThenLost = customer('sms-lost-after-accept', '+31612345701');
/** The request went out and End User Messaging never took it (no outbox entry, no event). */
const lostBeforeAccept = customer('sms-lost-before-accept', '+31612345702');
const customers = [acceptedThenLost, lostBeforeAccept];

/** Provider calls per number for the confirmation. */
const calls = new Map<string, number>();
/** Fault injection around the provider (the local feedback loop sits inside it, next to the outbox). */
const losingAnswers = (eum: SmsSender): SmsSender => ({
  linksEvents: eum.linksEvents,
  providerName: eum.providerName,
  sendSms: async (message) => {
    if (!message.send?.key.includes('#confirmation')) return eum.sendSms(message);
    const first = !calls.has(message.to);
    calls.set(message.to, (calls.get(message.to) ?? 0) + 1);
    if (first && message.to === acceptedThenLost.phone) {
      await eum.sendSms(message);
      throw requestTimeoutError();
    }
    if (first && message.to === lostBeforeAccept.phone) throw requestTimeoutError();
    return eum.sendSms(message);
  },
});

let stack: LocalStack;
const { executionOf, smsTo, readTimelines, entriesOf } = customerViews(() => stack);
/** The confirmations the outbox holds for the customer: the SMS whose context names the confirmation step. */
const confirmationSmsTo = (c: CustomerProfile) =>
  smsTo(c).filter((m) => m.context?.['klantreis-send']?.endsWith('_23confirmation'));

beforeAll(async () => {
  stack = await startE2eStack({ smsSender: 'end-user-messaging', wrap: { sms: losingAnswers } });
  await startRuns(stack, 'appointment', customers, appointmentOf);
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('an End User Messaging SMS whose provider answer is lost', () => {
  it('is linked by its event when End User Messaging had accepted it: exactly one SMS', async () => {
    expect(calls.get(acceptedThenLost.phone as string)).toBe(1);
    const execution = executionOf(acceptedThenLost);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const confirmation = entriesOf(acceptedThenLost, { kind: 'message', stepId: 'confirmation' });
    expect(confirmation.map((e) => `${e.channel}:${e.outcome}`)).toEqual(['sms:sent']);
    const sms = confirmationSmsTo(acceptedThenLost);
    expect(sms).toHaveLength(1);
    expect(confirmation[0]?.providerMessageId).toBe(sms[0]?.messageId);
    // It went out as SendTextMessage, naming the send in its context.
    expect(sms[0]?.context).toMatchObject({ 'klantreis-attempt': '1' });
  });

  it('is sent once more after its bound when End User Messaging never took it, on SMS', async () => {
    expect(calls.get(lostBeforeAccept.phone as string)).toBe(2);
    const execution = executionOf(lostBeforeAccept);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const confirmation = entriesOf(lostBeforeAccept, { kind: 'message', stepId: 'confirmation' });
    expect(confirmation.map((e) => `${e.channel}:${e.outcome}`)).toEqual(['sms:unknown', 'sms:sent']);
    const sms = confirmationSmsTo(lostBeforeAccept);
    expect(sms).toHaveLength(1);
    expect(sms[0]?.context).toMatchObject({ 'klantreis-attempt': '2' });
    expect(Date.parse(confirmation[1]?.at ?? '') - Date.parse(confirmation[0]?.at ?? '')).toBe(15 * 60_000);
    expect(confirmation[1]?.reasons).toEqual([
      'no provider event confirmed attempt 1 within its bound: sent again',
    ]);
  });
});
