/**
 * A sent SMS's delivery cost in the results is priced per part, as carriers bill it: by the text that
 * went out, whatever the decision priced before the render.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '#adapters/policy-file.ts';
import type { RunJourneyStepDeps } from '#application/journey-step/deps.ts';
import { withStepResults } from '#application/journey-step/step-results.ts';
import type { RunJourneyStepInput, StepProgress } from '#core/journey-step-run.ts';
import { smsEncodingOf } from '#core/sms-encoding.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { InMemoryResults } from '../../fixtures/in-memory-results.ts';
import { stepInvoice } from '../../fixtures/step-visits.ts';

const policy = loadPolicy();
const AT = '2026-12-01T10:00:00.000Z';
const input = {
  runId: 'run-1',
  journeyId: 'payment-reminder',
  customerId: 'c-sms',
  subject: stepInvoice,
  step: { stepId: 'first-reminder', templateId: 'payment-reminder', purpose: 'service', channels: ['sms'] },
} as unknown as RunJourneyStepInput;

/** One visit that sends this SMS text to a customer in the country, the decision priced at one part. */
async function deliveryMicroUsd(text: string, country: string): Promise<number | undefined> {
  const results = new InMemoryResults();
  results.addRun({ customerId: 'c-sms', runId: 'run-1', journeyId: 'payment-reminder', startedAt: AT });
  const deps = { results, timeline: new InMemoryRepository(), policy } as unknown as RunJourneyStepDeps;
  await withStepResults(deps, input, async (visit) => {
    visit.resultFacts?.push({ type: 'customer', country });
    await visit.timeline.appendTimeline({
      customerId: 'c-sms',
      at: AT,
      kind: 'message',
      summary: 'payment-reminder/first-reminder: sms sent',
      runId: 'run-1',
      stepId: 'first-reminder',
      channel: 'sms',
      outcome: 'sent',
      body: { text },
    });
    return {
      action: 'next',
      wakeAt: AT,
      stepId: 'first-reminder',
      outcome: 'sent',
      segment: { segmentId: 'default', tone: 'friendly', reasons: [], decidedAt: AT },
      lastMessage: null,
    } as unknown as StepProgress;
  });
  return results.eventsOf('sent')[0]?.costMicroUsd?.delivery;
}

describe('the delivery cost of a sent SMS in the results', () => {
  const perPart = (country: string) =>
    Math.round(1_000_000 * (policy.channelCosts.sms.byCountry[country] ?? policy.channelCosts.sms.default));

  it('is the price of one part for a text of one part', async () => {
    expect(await deliveryMicroUsd('Uw factuur staat open.', 'NL')).toBe(perPart('NL'));
  });

  it('is the price of each part for a longer text, per country', async () => {
    const long = `Uw factuur van € 125,50 staat nog open. ${'Betaal vandaag nog. '.repeat(12)}`;
    const parts = smsEncodingOf(long).segments;
    expect(parts).toBe(2);
    expect(await deliveryMicroUsd(long, 'NL')).toBe(2 * perPart('NL'));
    expect(await deliveryMicroUsd(long, 'US')).toBe(2 * perPart('US'));
  });

  it('counts a UCS-2 text by its 67-character parts', async () => {
    const emoji = `Uw factuur staat open 🙂 ${'betaal vandaag. '.repeat(6)}`;
    expect(smsEncodingOf(emoji).encoding).toBe('UCS-2');
    expect(await deliveryMicroUsd(emoji, 'NL')).toBe(smsEncodingOf(emoji).segments * perPart('NL'));
  });
});
