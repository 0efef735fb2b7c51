/**
 * Every value of every provider enum the feedback and status handlers read, one row each: what the
 * send record, the suppression list, the consents and the run then show. A value AWS can send that
 * a table here lacks is a value nobody decided about.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryStatus, Engagement } from '#core/ports.ts';
import * as emailFeedback from '#handlers/record-email-feedback.ts';
import * as smsFeedback from '#handlers/record-sms-feedback.ts';
import { feedbackDepsOver } from '../../fixtures/feedback-deps.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';
import { EXECUTION, runStatusOfRunningRun, STATE_MACHINE } from '../../fixtures/run-status.ts';

const SENT_AT = '2026-12-01T09:00:00.000Z';
const ADDRESS = 'c1@example.nl';
const PHONE = '+31612345678';

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', {
    id: 'c-1',
    locale: 'nl-NL',
    country: 'NL',
    email: ADDRESS,
    phone: PHONE,
  });
  for (const [key, channel, providerMessageId] of [
    ['run-1#first-reminder', 'email', 'ses-1'],
    ['run-1#second-reminder', 'sms', 'sms-1'],
  ] as const) {
    repository.sends.set(key, { key, status: 'sent', channel, providerMessageId, at: SENT_AT });
    repository.sendOwners.set(key, 'c-1');
  }
  const deps = feedbackDepsOver(repository, '2026-12-01T09:05:00Z');
  return {
    repository,
    email: (event: unknown) => emailFeedback.makeHandler(deps)(event, lambdaContext),
    sms: (event: unknown) => smsFeedback.makeHandler(deps)(event, lambdaContext),
  };
}

const at = '2026-12-01T09:00:02.000Z';
/** Each SES event type (`eventType` of the event record) with the detail SES publishes alongside it. */
const sesDetails: Record<string, Record<string, unknown>> = {
  Send: {},
  Reject: { reject: { reason: 'Bad content' } },
  Bounce: {
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: ADDRESS }],
      timestamp: at,
    },
  },
  Complaint: { complaint: { complainedRecipients: [{ emailAddress: ADDRESS }], timestamp: at } },
  Delivery: { delivery: { timestamp: at } },
  Open: { open: { timestamp: at } },
  Click: { click: { timestamp: at } },
  'Rendering Failure': { failure: { errorMessage: 'no template', templateName: 'x' } },
  DeliveryDelay: { deliveryDelay: { timestamp: at, delayType: 'MailboxFull' } },
  Subscription: { subscription: { contactList: 'x', timestamp: at } },
};
const sesEvent = (eventType: string, detail: Record<string, unknown>) => ({
  source: 'aws.ses',
  'detail-type': `Email ${eventType}`,
  detail: { eventType, mail: { messageId: 'ses-1', timestamp: SENT_AT, tags: {} }, ...detail },
});

interface EmailRow {
  eventType: string;
  matched: boolean;
  /** Shows in the conversation (default: when matched). */
  recorded?: boolean;
  deliveryStatus?: DeliveryStatus;
  engagement?: Engagement;
  suppressed: boolean;
  optedOut: boolean;
}

// Rendering Failure: Klantreis renders its own content and sends it whole, so SES never renders a template of it.
const emailRows: EmailRow[] = [
  // Send links the send it names (SES accepted it), recording nothing in the conversation.
  { eventType: 'Send', matched: true, recorded: false, suppressed: false, optedOut: false },
  { eventType: 'Reject', matched: true, deliveryStatus: 'rejected', suppressed: false, optedOut: false },
  { eventType: 'Bounce', matched: true, deliveryStatus: 'bounced', suppressed: true, optedOut: false },
  { eventType: 'Complaint', matched: true, deliveryStatus: 'complained', suppressed: true, optedOut: true },
  { eventType: 'Delivery', matched: true, deliveryStatus: 'delivered', suppressed: false, optedOut: false },
  { eventType: 'Open', matched: true, engagement: 'opened', suppressed: false, optedOut: false },
  { eventType: 'Click', matched: true, engagement: 'clicked', suppressed: false, optedOut: false },
  { eventType: 'Rendering Failure', matched: false, suppressed: false, optedOut: false },
  {
    eventType: 'DeliveryDelay',
    matched: true,
    deliveryStatus: 'delayed',
    suppressed: false,
    optedOut: false,
  },
  { eventType: 'Subscription', matched: false, suppressed: false, optedOut: false },
];

describe('record-email-feedback reads every SES event type', () => {
  it('has a row for each event type SES publishes', () => {
    expect(emailRows.map((r) => r.eventType).sort()).toEqual(Object.keys(sesDetails).sort());
  });

  it.each(emailRows)('$eventType', async (row) => {
    const { email, repository } = setup();
    const result = await email(sesEvent(row.eventType, sesDetails[row.eventType] ?? {}));
    expect(result.matched).toBe(row.matched);
    const record = repository.sends.get('run-1#first-reminder');
    expect(record?.deliveryStatus).toBe(row.deliveryStatus);
    expect(record?.engagement).toBe(row.engagement);
    expect(await repository.isSuppressed('email', ADDRESS)).toBe(row.suppressed);
    const optOut = repository.customers
      .get('c-1')
      ?.consents?.some((c) => c.channel === 'email' && !c.granted);
    expect(optOut ?? false).toBe(row.optedOut);
    // Whatever it acts on shows in the conversation; what it ignores leaves no trace.
    expect(repository.timeline.length > 0).toBe(row.recorded ?? row.matched);
  });

  it.each([
    ['Permanent', true],
    ['Transient', false],
    ['Undetermined', false],
  ] as const)(
    'a %s bounce marks the send bounced and suppresses the address: %s',
    async (bounceType, suppressed) => {
      const { email, repository } = setup();
      const bounce = {
        bounce: { bounceType, bouncedRecipients: [{ emailAddress: ADDRESS }], timestamp: at },
      };
      await email(sesEvent('Bounce', bounce));
      expect(repository.sends.get('run-1#first-reminder')?.deliveryStatus).toBe('bounced');
      expect(await repository.isSuppressed('email', ADDRESS)).toBe(suppressed);
    },
  );
});

/** Every SMS event type of End User Messaging SMS and the delivery status it means (none: not final). */
const smsRows: Array<[string, DeliveryStatus | undefined]> = [
  ['TEXT_QUEUED', undefined],
  ['TEXT_PENDING', undefined],
  ['TEXT_SUCCESSFUL', 'delivered'],
  ['TEXT_DELIVERED', 'delivered'],
  ['TEXT_BLOCKED', 'failed'],
  ['TEXT_TTL_EXPIRED', 'failed'],
  ['TEXT_CARRIER_UNREACHABLE', 'failed'],
  ['TEXT_INVALID', 'failed'],
  ['TEXT_INVALID_MESSAGE', 'failed'],
  ['TEXT_CARRIER_BLOCKED', 'failed'],
  ['TEXT_UNREACHABLE', 'failed'],
  ['TEXT_SPAM', 'failed'],
  ['TEXT_UNKNOWN', 'failed'],
  ['TEXT_PROTECT_BLOCKED', 'failed'],
];

describe('record-sms-feedback reads every SMS event type', () => {
  it.each(smsRows)('%s → %s', async (eventType, deliveryStatus) => {
    const { sms, repository } = setup();
    const event = { eventType, messageId: 'sms-1', eventTimestamp: Date.parse(at) };
    const sns = {
      Records: [{ Sns: { MessageId: 'sns-1', Timestamp: at, Message: JSON.stringify(event) } }],
    };
    expect(await sms(sns)).toEqual({ handled: [deliveryStatus ? 'status' : 'ignored'] });
    expect(repository.sends.get('run-1#second-reminder')?.deliveryStatus).toBe(deliveryStatus);
    const entry = repository.timeline.find((e) => e.kind === 'delivery');
    expect(entry?.outcome).toBe(deliveryStatus);
    if (deliveryStatus === 'failed') expect(entry?.reasons).toEqual([`carrier reported ${eventType}`]);
  });
});

const statusChange = (status: string) => ({
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  detail: {
    executionArn: EXECUTION,
    stateMachineArn: STATE_MACHINE,
    name: 'run-1',
    status,
    startDate: Date.parse('2026-12-01T09:00:00Z'),
    stopDate:
      status === 'RUNNING' || status === 'PENDING_REDRIVE' ? null : Date.parse('2026-12-20T10:00:00Z'),
    input: JSON.stringify({ customerId: 'c-1', journeyId: 'payment-reminder', subject: { id: 'INV-1' } }),
  },
});

/** Every execution status of Step Functions and the run status it ends in (none: not an end). */
const executionRows: Array<[string, string | undefined]> = [
  ['RUNNING', undefined],
  ['PENDING_REDRIVE', undefined],
  ['SUCCEEDED', 'completed'],
  ['FAILED', 'failed'],
  ['TIMED_OUT', 'timed-out'],
  ['ABORTED', 'aborted'],
];

describe('record-run-status reads every Step Functions execution status', () => {
  it.each(executionRows)('%s → %s', async (status, runStatus) => {
    const { repository, handle } = runStatusOfRunningRun();
    if (runStatus) {
      await expect(handle(statusChange(status))).resolves.toMatchObject({ status: runStatus });
      expect(repository.runs.get('run-1')).toMatchObject({
        status: runStatus,
        endedAt: '2026-12-20T10:00:00.000Z',
      });
    } else {
      // Not an end: the rule never sends it, and the handler refuses it rather than guess.
      await expect(handle(statusChange(status))).rejects.toThrow(/"status"/);
      expect(repository.runs.get('run-1')?.status).toBe('running');
    }
  });
});
