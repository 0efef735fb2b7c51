import { describe, expect, it } from 'vitest';
import type { ConversationEntry } from '#infra/local/demo.ts';
import { type RunView, summariseRun } from '#infra/local/demo-table.ts';

const decision: ConversationEntry = {
  at: '2026-12-01T08:00:00.000Z',
  kind: 'decision',
  summary: 'onboarding/welcome: email at …',
  runId: 'r1',
  journeyId: 'onboarding',
  stepId: 'welcome',
  channel: 'email',
  reasons: [
    'segment business skipped: attribute segmentHint is not business',
    'segment senior: age 68 >= 65',
    'tone friendly: segment senior',
    'timezone Europe/London: from customer',
  ],
};
const sent = (stepId: string, channel: 'email' | 'sms', at: string): ConversationEntry => ({
  at,
  kind: 'message',
  summary: `onboarding/${stepId}: ${channel} sent`,
  runId: 'r1',
  journeyId: 'onboarding',
  stepId,
  channel,
  outcome: 'sent',
});
const run = (status: string, decisions: ConversationEntry[]): RunView => ({
  runId: 'r1',
  journeyId: 'onboarding',
  customerId: 'c-1',
  subjectId: 'ACC-1',
  execution: { status },
  decisions,
});

describe('demo table rows, read from GET /runs and the conversation', () => {
  it('fills segment, channels and messages of a run stopped by an exit event from its decisions', () => {
    const row = summariseRun(
      run('ABORTED', [
        decision,
        sent('welcome', 'email', '2026-12-01T10:15:00.000Z'),
        {
          at: '2026-12-01T08:00:01.000Z',
          kind: 'journey',
          summary: 'onboarding: ended at once (portal.activated)',
          runId: 'r1',
          journeyId: 'onboarding',
          outcome: 'goal-reached',
        },
      ]),
    );
    expect(row).toEqual({
      customer: 'c-1',
      journey: 'onboarding',
      segment: 'senior',
      channels: 'email',
      messages: '1: welcome',
      firstMessage: 'Tue 1 Dec 10:15 London',
      ended: 'goal reached (portal.activated)',
    });
  });

  it('names a fallback, a skipped step and a hand-over', () => {
    const row = summariseRun(
      run('SUCCEEDED', [
        decision,
        sent('welcome', 'email', '2026-12-01T10:15:00.000Z'),
        sent('welcome', 'sms', '2026-12-03T10:15:00.000Z'),
        { ...decision, stepId: 'tip', channel: undefined, outcome: 'skipped' },
        {
          at: '2026-12-09T10:00:00.000Z',
          kind: 'journey',
          summary: 'onboarding: handed over to a person (unreachable)',
          runId: 'r1',
          outcome: 'escalated',
          reasons: ['hand-over: unreachable'],
        },
      ]),
    );
    expect(row).toMatchObject({
      channels: 'email, sms',
      messages: '2: welcome ×2; tip skipped',
      ended: 'handed over (unreachable)',
    });
  });

  it('tells a completed run from one its own goal check ended, and names a cancellation', () => {
    const event = (type: string): ConversationEntry => ({
      at: '2026-12-02T10:00:00.000Z',
      kind: 'event',
      summary: `${type} (ACC-1)`,
    });
    expect(summariseRun(run('SUCCEEDED', [decision]), [event('appointment.rescheduled')]).ended).toBe(
      'completed (rescheduled)',
    );
    expect(summariseRun(run('SUCCEEDED', [decision]), [event('portal.activated')]).ended).toBe(
      'goal reached (portal.activated)',
    );
    expect(summariseRun(run('SUCCEEDED', [decision]), [event('appointment.cancelled')]).ended).toBe(
      'cancelled (appointment.cancelled)',
    );
    expect(summariseRun(run('FAILED', [decision])).ended).toMatch(/^failed/);
    expect(summariseRun(run('SUCCEEDED', [])).segment).toBe('—');
  });
});
