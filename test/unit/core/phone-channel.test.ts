import { describe, expect, it } from 'vitest';
import { isMobileNumber } from '#adapters/mobile-number-table.ts';
import { channelCost, pickChannel } from '#core/channel.ts';
import { checkMessage } from '#core/content-check.ts';
import type { CustomerProfile } from '#core/customer.ts';
import type { JourneyStep } from '#core/journey-step.ts';
import { addressOf } from '#core/journey-step-run.ts';
import { PolicySchema, type Segment } from '#core/policy.ts';
import { reachProblem } from '#core/reachability.ts';
import { renderMessage, type TemplateCatalog } from '#core/render.ts';
import { firstReminder } from '../../fixtures/journey-steps.ts';
import { segmentById, testPolicy } from './test-policy.ts';

const policy = PolicySchema.parse({
  ...testPolicy,
  channelCosts: { ...testPolicy.channelCosts, phone: { default: 4.5, byCountry: { NL: 3.2 } } },
});
const plain = segmentById('default');
/** A segment that names calls for service messages, as the shipped senior segment does. */
const segment: Segment = { ...plain, channels: { ...plain.channels, service: ['email', 'sms', 'phone'] } };
/** A Dutch landline (Amsterdam, 020) and a Dutch mobile number (06). */
const LANDLINE = '+31201234567';
const MOBILE = '+31612345678';
const customer: CustomerProfile = { id: 'c-phone', locale: 'nl-NL', country: 'NL', phone: LANDLINE };
const step: JourneyStep = { ...firstReminder, channels: ['sms', 'phone'] };

const pick = (who: CustomerProfile) => pickChannel({ customer: who, segment, step, policy, isMobileNumber });

describe('the phone channel', () => {
  it('calls a landline that SMS refuses, at its own price per country', () => {
    const decision = pick(customer);
    expect(decision.channel).toBe('phone');
    expect(decision.reasons).toContain('sms dropped: phone number is not a valid mobile number');
    expect(decision.costUsd).toBe(3.2);
    expect(channelCost('phone', 'BE', policy)).toBe(4.5);
    expect(addressOf(customer, 'phone')).toBe(LANDLINE);
  });

  it('calls only where the segment (or the customer) names it: the step allowing a call is not enough', () => {
    expect(firstReminder.purpose).toBe('service');
    const decision = pickChannel({ customer, segment: plain, step, policy, isMobileNumber });
    expect(decision.channel).toBeNull();
    expect(
      pickChannel({
        customer: { ...customer, preferences: { channel: 'phone' } },
        segment: plain,
        step,
        policy,
        isMobileNumber,
      }).channel,
    ).toBe('phone');
  });

  it('calls a mobile number too, and needs a number at all', () => {
    expect(reachProblem('phone', { phone: MOBILE }, isMobileNumber)).toBeNull();
    expect(reachProblem('sms', { phone: MOBILE }, isMobileNumber)).toBeNull();
    expect(reachProblem('phone', {}, isMobileNumber)).toBe('no phone number');
    expect(pick({ ...customer, phone: undefined as never }).channel).toBeNull();
  });

  it('needs consent like any channel: an opt-out of calls drops it', () => {
    const optedOut: CustomerProfile = {
      ...customer,
      consents: [
        {
          channel: 'phone',
          purpose: 'service',
          granted: false,
          at: '2026-01-01T00:00:00Z',
          source: 'portal',
        },
      ],
    };
    expect(pick(optedOut).reasons).toContain('phone dropped: opted out of phone for service');
  });

  it('renders the call script from the same blocks as the other channels', () => {
    const catalog: TemplateCatalog = {
      templates: {
        reminder: {
          nl: {
            friendly: {
              call: { text: 'Ik bel over factuur {{ invoice }}. {{ blocks.ask }}\n' },
              blocks: { ask: 'Kunt u vandaag betalen?', unused: '{{ nope | nope }}' },
            },
          },
        },
      },
    };
    const { message, reasons } = renderMessage({
      catalog,
      templateId: 'reminder',
      channel: 'phone',
      locale: 'nl-NL',
      tone: 'friendly',
      data: { invoice: 'F-1' },
      defaultLocale: 'nl',
    });
    expect(message).toEqual({
      channel: 'phone',
      locale: 'nl',
      text: 'Ik bel over factuur F-1. Kunt u vandaag betalen?',
    });
    expect(reasons).toContain('rendered reminder call script in nl');
    expect(checkMessage({ ...message, text: '{{ x }}' }, { smsMaxSegments: 1 }).problems).toContain(
      'call contains Liquid that was not rendered',
    );
  });
});
