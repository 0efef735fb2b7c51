import { describe, expect, it } from 'vitest';
import type { SendRecord } from '#core/ports.ts';
import { sendTagsOf } from '#core/send-tag.ts';
import * as emailFeedback from '#handlers/record-email-feedback.ts';
import * as smsFeedback from '#handlers/record-sms-feedback.ts';
import { feedbackDepsOver } from '../../fixtures/feedback-deps.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';

const key = 'run-1#first-reminder';
const sentAt = '2026-12-01T09:00:00.000Z';

/** Feedback handlers over a repository holding one send of customer c-1 in the given state. */
function setup(record: Omit<SendRecord, 'key'>) {
  const repository = new InMemoryRepository();
  repository.sends.set(key, { key, ...record });
  repository.sendOwners.set(key, 'c-1');
  const deps = feedbackDepsOver(repository, '2026-12-01T09:00:05Z');
  return {
    repository,
    email: emailFeedback.makeHandler(deps),
    sms: smsFeedback.makeHandler(deps),
  };
}

/** SES's event for an email tagged with attempt `attempt` of the send, as EventBridge delivers it. */
const sesEvent = (eventType: string, attempt: number, detail: Record<string, unknown> = {}) => {
  const tags: Record<string, string[]> = { journey: ['payment-reminder'], step: ['first-reminder'] };
  for (const [name, value] of Object.entries(sendTagsOf({ customerId: 'c-1', key, attempt }) ?? {})) {
    tags[name] = [value];
  }
  return {
    source: 'aws.ses',
    'detail-type': `Email ${eventType}`,
    detail: { eventType, mail: { messageId: 'ses-lost', timestamp: sentAt, tags }, ...detail },
  };
};

const maybeSent: Omit<SendRecord, 'key'> = {
  status: 'maybe-sent',
  channel: 'email',
  at: sentAt,
  attempt: 1,
  reconcileBy: '2026-12-01T09:15:00.000Z',
};

describe('provider events that name their send', () => {
  it('links a maybe-sent email on SES’s Send event: sent, with SES’s message id, findable by it', async () => {
    const { email, repository } = setup(maybeSent);
    expect(await email(sesEvent('Send', 1), lambdaContext)).toEqual({
      eventType: 'Send',
      matched: true,
      effects: ['linked'],
    });
    const record = repository.sends.get(key);
    expect(record).toMatchObject({ status: 'sent', providerMessageId: 'ses-lost', attempt: 1 });
    expect(record?.reconcileBy).toBeUndefined();
    expect((await repository.findSendByProviderMessageId('ses-lost'))?.customerId).toBe('c-1');
  });

  it('links a claim a crash left unrecorded on its delivery, and records the delivery', async () => {
    const { email, repository } = setup({ status: 'in-progress', at: sentAt });
    const result = await email(
      sesEvent('Delivery', 1, { delivery: { timestamp: '2026-12-01T09:00:03.000Z' } }),
      lambdaContext,
    );
    expect(result).toEqual({ eventType: 'Delivery', matched: true, effects: ['linked', 'delivered'] });
    expect(repository.sends.get(key)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-lost',
      deliveryStatus: 'delivered',
    });
  });

  it('links nothing for an earlier attempt once the send was taken over by the next one', async () => {
    const { email, repository } = setup({ status: 'in-progress', channel: 'email', at: sentAt, attempt: 2 });
    expect(await email(sesEvent('Send', 1), lambdaContext)).toMatchObject({ matched: true, effects: [] });
    expect(repository.sends.get(key)).toMatchObject({ status: 'in-progress', attempt: 2 });
    expect(repository.sends.get(key)?.providerMessageId).toBeUndefined();
  });

  it('changes nothing on the Send event of an email recorded sent already', async () => {
    const { email, repository } = setup({
      status: 'sent',
      channel: 'email',
      at: sentAt,
      providerMessageId: 'ses-lost',
    });
    expect(await email(sesEvent('Send', 1), lambdaContext)).toEqual({
      eventType: 'Send',
      matched: true,
      effects: [],
    });
    expect(repository.timeline).toHaveLength(0);
  });

  it('does not wait for a send its tags name that is not there (a consistent read: erased, not lagging)', async () => {
    const { email, repository } = setup(maybeSent);
    repository.sends.delete(key);
    expect(await email(sesEvent('Delivery', 1, { delivery: { timestamp: sentAt } }), lambdaContext)).toEqual({
      eventType: 'Delivery',
      matched: false,
      effects: [],
    });
  });

  it('links an SMS whose delivery event carries the send in its context (End User Messaging SMS)', async () => {
    const { sms, repository } = setup({ ...maybeSent, channel: 'sms' });
    const event = {
      eventType: 'TEXT_DELIVERED',
      messageId: 'eum-1',
      eventTimestamp: Date.parse('2026-12-01T09:00:04Z'),
      context: sendTagsOf({ customerId: 'c-1', key, attempt: 1 }),
    };
    const notification = {
      Records: [{ Sns: { MessageId: 'sns-1', Timestamp: sentAt, Message: JSON.stringify(event) } }],
    };
    expect(await sms(notification, lambdaContext)).toEqual({ handled: ['status'] });
    expect(repository.sends.get(key)).toMatchObject({
      status: 'sent',
      providerMessageId: 'eum-1',
      deliveryStatus: 'delivered',
    });
  });

  it.each(['TEXT_QUEUED', 'TEXT_PENDING'])(
    'links a maybe-sent SMS on End User Messaging’s %s event, so a slow delivery is never sent twice',
    async (eventType) => {
      const { sms, repository } = setup({ ...maybeSent, channel: 'sms' });
      const notification = (type: string) => ({
        Records: [
          {
            Sns: {
              MessageId: `sns-${type}`,
              Timestamp: sentAt,
              Message: JSON.stringify({
                eventType: type,
                messageId: 'eum-1',
                eventTimestamp: Date.parse('2026-12-01T09:00:01Z'),
                context: sendTagsOf({ customerId: 'c-1', key, attempt: 1 }),
              }),
            },
          },
        ],
      });
      expect(await sms(notification(eventType), lambdaContext)).toEqual({ handled: ['linked'] });
      expect(repository.sends.get(key)).toMatchObject({ status: 'sent', providerMessageId: 'eum-1' });
      expect(repository.sends.get(key)).not.toHaveProperty('deliveryStatus');
      // Its later events change nothing about the link; the final one records the delivery.
      expect(await sms(notification(eventType), lambdaContext)).toEqual({ handled: ['ignored'] });
      expect(await sms(notification('TEXT_DELIVERED'), lambdaContext)).toEqual({ handled: ['status'] });
      expect(repository.sends.get(key)).toMatchObject({ status: 'sent', deliveryStatus: 'delivered' });
    },
  );
});
