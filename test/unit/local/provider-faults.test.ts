import { describe, expect, it } from 'vitest';
import { ProviderFaults, parseFaultSpec } from '#infra/local/emulators/provider-faults.ts';

describe('the fault spec', () => {
  it('reads rules per channel with a share, a first-N count, a recipient and a hold, and a seed', () => {
    expect(
      parseFaultSpec(
        'seed=7, sms:throttle:first=2,email:unavailable:share=0.1,sms:timeout-after-accept:share=0.05:hold=200,email:refuse:to=x@example.nl',
      ),
    ).toEqual({
      seed: 7,
      rules: [
        { channel: 'sms', kind: 'throttle', first: 2 },
        { channel: 'email', kind: 'unavailable', share: 0.1 },
        { channel: 'sms', kind: 'timeout-after-accept', share: 0.05, hold: 200 },
        { channel: 'email', kind: 'refuse', to: 'x@example.nl' },
      ],
    });
  });

  it('is empty without text', () => {
    expect(parseFaultSpec(undefined)).toEqual({ seed: 1, rules: [] });
    expect(parseFaultSpec(' ')).toEqual({ seed: 1, rules: [] });
  });

  it.each([
    ['fax:refuse', /"fax:refuse".*channel must be email or sms/],
    ['sms:throtle:first=2', /"sms:throtle:first=2".*kind must be one of refuse, throttle/],
    ['email:refuse:share=1.5', /"email:refuse:share=1.5".*share must be from 0 to 1/],
    ['email:refuse:share=abc', /"email:refuse:share=abc".*share must be a number/],
    ['email:refuse:first=0', /"email:refuse:first=0".*first must be at least 1/],
    ['email:refuse:share=0.1:first=2', /give share or first, not both/],
    ['email:refuse:often', /"often" is not an option/],
    ['seed=x', /"seed=x".*seed must be a whole number/],
  ])('names the bad part of %s', (text, message) => {
    expect(() => parseFaultSpec(`sms:refuse,${text}`)).toThrow(message);
  });
});

describe('which calls a fault takes', () => {
  it('takes the first N calls of its channel, then none', () => {
    const faults = new ProviderFaults('sms:throttle:first=2');
    const kinds = ['+31600000001', '+31600000002', '+31600000001', '+31600000003'].map(
      (to) => faults.decide('sms', to)?.kind,
    );
    expect(kinds).toEqual(['throttle', 'throttle', undefined, undefined]);
    expect(faults.decide('email', 'a@example.nl')).toBeUndefined();
  });

  it('takes the same calls for the same seed whatever the order of recipients, others for another seed', () => {
    const recipients = Array.from({ length: 400 }, (_, i) => `c${i}@example.nl`);
    const taken = (seed: number, order: string[]) => {
      const faults = new ProviderFaults(`seed=${seed},email:refuse:share=0.25`);
      for (const to of order) faults.decide('email', to);
      return new Set(faults.injected().map((f) => f.to));
    };
    const forward = taken(3, recipients);
    expect(taken(3, recipients.toReversed())).toEqual(forward);
    expect(taken(4, recipients)).not.toEqual(forward);
    // About a quarter, as asked.
    expect(forward.size).toBeGreaterThan(60);
    expect(forward.size).toBeLessThan(140);
  });

  it('lets the first rule that takes a call decide it, and limits a rule to its recipient', () => {
    const faults = new ProviderFaults('email:refuse:to=A@example.nl,email:unavailable');
    expect(faults.decide('email', 'a@example.nl')?.kind).toBe('refuse');
    expect(faults.decide('email', 'b@example.nl')?.kind).toBe('unavailable');
    expect(faults.decide('sms', '+31600000001')).toBeUndefined();
  });
});
