import { describe, expect, it } from 'vitest';
import { isMobileNumber } from '#adapters/mobile-number-table.ts';
import { pickChannel } from '#core/channel.ts';
import { CustomerProfileSchema } from '#core/customer.ts';
import { smsPhoneProblem } from '#core/reachability.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import { firstReminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

describe('demo customers', () => {
  it('are valid profiles with unique ids', () => {
    for (const customer of demoCustomers)
      expect(() => CustomerProfileSchema.parse(customer), customer.id).not.toThrow();
    expect(new Set(demoCustomers.map((c) => c.id)).size).toBe(demoCustomers.length);
  });

  it('have mobile numbers SMS can reach, except the landline-only customer', () => {
    const unreachable = demoCustomers
      .filter((c) => c.phone && smsPhoneProblem(c.phone, isMobileNumber))
      .map((c) => c.id);
    expect(unreachable).toEqual(['c-1014']);
  });

  it('are all reachable for a payment reminder except c-1014', () => {
    const nobody = demoCustomers
      .filter(
        (customer) =>
          !pickChannel({
            customer,
            segment: segmentById('default'),
            step: firstReminder,
            policy: testPolicy,
            isMobileNumber,
          }).channel,
      )
      .map((c) => c.id);
    expect(nobody).toEqual(['c-1014']);
  });
});
