import { describe, expect, it } from 'vitest';
import { RateLimited } from '#application/errors.ts';
import { Meter } from '#infra/local/meter.ts';

describe('the local meter', () => {
  it('counts a send the rate limiter refused as an invocation and a failure by name, until reset', async () => {
    const meter = new Meter();
    await meter.invoke('journey', async () => 'sent');
    await expect(
      meter.invoke('journey', async () => {
        throw new RateLimited('email');
      }),
    ).rejects.toThrow(/sending rate/);
    expect(meter.snapshot().journey?.lambdaInvocations).toBe(2);
    expect(meter.failures()).toEqual({ 'Klantreis.RateLimited': 1 });
    meter.reset();
    expect(meter.failures()).toEqual({});
    expect(meter.snapshot()).toEqual({});
  });
});
