/**
 * Provider feedback counted in the dimensions of the message it is about: once per event, the first
 * open or click of a message only, a click counting its open; a count that cannot be recorded makes
 * the event come again (the handler throws last, after the conversation is recorded).
 */
import { describe, expect, it } from 'vitest';
import { messageEntryId } from '#application/send-step.ts';
import type { ResultDims } from '#core/results.ts';
import * as emailFeedback from '#handlers/record-email-feedback.ts';
import * as smsFeedback from '#handlers/record-sms-feedback.ts';
import { feedbackDepsOver } from '../../fixtures/feedback-deps.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { InMemoryResults } from '../../fixtures/in-memory-results.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';

const sentAt = '2026-12-01T09:00:00.000Z';
const dims: ResultDims = {
  journeyId: 'payment-reminder',
  stepId: 'first-reminder',
  segment: 'default',
  channel: 'email',
  variant: 'firm',
  locale: 'nl',
  experimentId: 'first-reminder-text',
  arm: 'firm',
  day: '2026-12-01',
};

async function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', email: 'c1@example.nl' });
  repository.sends.set('run-1#first-reminder', {
    key: 'run-1#first-reminder',
    status: 'sent',
    channel: 'email',
    providerMessageId: 'ses-1',
    at: sentAt,
  });
  repository.sendOwners.set('run-1#first-reminder', 'c-1');
  const results = new InMemoryResults();
  // The message's counted `sent` event, as its step recorded it.
  await results.record({
    eventId: `sent:${messageEntryId('run-1#first-reminder')}`,
    at: sentAt,
    kind: 'sent',
    dims,
    runId: 'run-1',
    customerKey: await results.customerKeyOf('c-1'),
  });
  const deps = { ...feedbackDepsOver(repository, '2026-12-02T09:05:00Z'), results };
  return { repository, results, email: emailFeedback.makeHandler(deps), sms: smsFeedback.makeHandler(deps) };
}

const sesEvent = (eventType: string, detail: Record<string, unknown>) => ({
  source: 'aws.ses',
  'detail-type': `Email ${eventType}`,
  detail: {
    eventType,
    mail: { messageId: 'ses-1', timestamp: sentAt, tags: { journey: ['payment-reminder'] } },
    ...detail,
  },
});
const delivery = sesEvent('Delivery', { delivery: { timestamp: '2026-12-01T09:00:05.000Z' } });
const open = sesEvent('Open', { open: { timestamp: '2026-12-02T08:00:00.000Z' } });
const click = sesEvent('Click', { click: { timestamp: '2026-12-02T08:01:00.000Z' } });

describe('provider feedback in the results', () => {
  it('counts a delivery once however often it comes, in the message’s dimensions on its own day', async () => {
    const { results, email } = await setup();
    await email(delivery, lambdaContext);
    await email(delivery, lambdaContext);
    expect(results.eventsOf('delivered')).toEqual([
      expect.objectContaining({ eventId: 'delivered:ses-1', dims }),
    ]);
    const opened = await setup();
    await opened.email(open, lambdaContext);
    expect(opened.results.eventsOf('opened')[0]?.dims).toEqual({ ...dims, day: '2026-12-02' });
  });

  it('counts the first open and the first click of a message, a click counting its open', async () => {
    const { results, email } = await setup();
    await email(open, lambdaContext);
    await email(open, lambdaContext);
    await email(click, lambdaContext);
    await email(click, lambdaContext);
    await email(open, lambdaContext);
    expect(results.eventsOf('opened')).toHaveLength(1);
    expect(results.eventsOf('clicked')).toHaveLength(1);
    const clickedFirst = await setup();
    await clickedFirst.email(click, lambdaContext);
    expect(clickedFirst.results.eventsOf('opened')).toHaveLength(1);
    expect(clickedFirst.results.eventsOf('clicked')).toHaveLength(1);
  });

  it('counts a complaint as an opt-out too', async () => {
    const { results, email } = await setup();
    await email(
      sesEvent('Complaint', {
        complaint: { complainedRecipients: [{ emailAddress: 'c1@example.nl' }], timestamp: sentAt },
      }),
      lambdaContext,
    );
    expect(results.events.map((e) => e.kind).sort()).toEqual(['complained', 'optedOut', 'sent']);
  });

  it('asks for the event again when its count cannot be recorded, after recording the conversation', async () => {
    const { repository, results, email } = await setup();
    results.failWith = Object.assign(new Error('down'), { name: 'InternalServerError' });
    await expect(email(open, lambdaContext)).rejects.toThrow(/result events not recorded/);
    expect(repository.sends.get('run-1#first-reminder')?.engagement).toBe('opened');
    expect(repository.timeline.some((e) => e.outcome === 'opened')).toBe(true);
    // The event comes again: the open the record shows already is counted now, once.
    results.failWith = undefined;
    await email(open, lambdaContext);
    await email(open, lambdaContext);
    expect(results.eventsOf('opened')).toHaveLength(1);
  });
});
