import { describe, expect, it } from 'vitest';
import { ChannelSchema } from '#core/customer.ts';
import { RunOutcomeSchema, RunResultContextSchema } from '#core/run-outcome-schema.ts';

describe('a run’s outcome as the run item holds it', () => {
  it('reads a last message on every channel, a letter and a call among them', () => {
    for (const channel of ChannelSchema.options) {
      const lastMessage = {
        stepId: 'final-notice',
        channel,
        variant: 'firm',
        locale: 'nl',
        at: '2026-12-20T10:00:00Z',
      };
      expect(
        RunOutcomeSchema.safeParse({ kind: 'goal-reached', at: '2026-12-21T10:00:00Z', lastMessage }).success,
        channel,
      ).toBe(true);
      expect(RunResultContextSchema.safeParse({ lastMessage }).success, channel).toBe(true);
    }
  });

  it('refuses a channel Klantreis does not know', () => {
    const lastMessage = {
      stepId: 's',
      channel: 'fax',
      variant: 'v',
      locale: 'nl',
      at: '2026-12-20T10:00:00Z',
    };
    expect(
      RunOutcomeSchema.safeParse({ kind: 'goal-reached', at: '2026-12-21T10:00:00Z', lastMessage }).success,
    ).toBe(false);
  });
});
