import { describe, expect, it } from 'vitest';
import { RUN_ENDED } from '#core/journey-control.ts';
import { firstReminder as step } from '../../fixtures/journey-steps.ts';
import { lambdaContext } from '../../fixtures/lambda.ts';
import { renderedEmail as email, sendStepSetup } from '../../fixtures/send-step.ts';

const input = { runId: 'run-1', customerId: 'c-1', step, channel: 'email', message: email };
const sms = { ...input, channel: 'sms', message: { channel: 'sms', locale: 'nl', text: 'Hoi' } };

describe('send step for an erased customer', () => {
  it('claims nothing, sends nothing, writes nothing and ends the run when the customer was erased', async () => {
    const { handler, emails, repository } = sendStepSetup();
    repository.erased.add('c-1');
    const claims: string[] = [];
    const claim = repository.claimSend.bind(repository);
    repository.claimSend = (customerId, key, at) => {
      claims.push(key);
      return claim(customerId, key, at);
    };
    await expect(handler(input, lambdaContext)).rejects.toMatchObject({
      name: RUN_ENDED,
      message: 'customer erased',
    });
    expect(emails).toHaveLength(0);
    expect(claims).toEqual([]);
    expect(repository.sends.size).toBe(0);
    expect(repository.timeline).toHaveLength(0);
  });

  it('sends nothing and releases its claim when the erasure lands between the claim and the provider call', async () => {
    for (const event of [input, sms]) {
      const setup = sendStepSetup();
      const { repository } = setup;
      const claim = repository.claimSend.bind(repository);
      // The erasure's record is written while this step holds its claim.
      repository.claimSend = async (customerId, key, at) => {
        const result = await claim(customerId, key, at);
        repository.erased.add(customerId);
        return result;
      };
      await expect(setup.handler(event, lambdaContext)).rejects.toMatchObject({ name: RUN_ENDED });
      expect([...setup.emails, ...setup.sms]).toHaveLength(0);
      expect(repository.sends.size).toBe(0);
      expect(repository.timeline).toHaveLength(0);
    }
  });

  it('sends as usual for a customer not erased', async () => {
    const { handler, emails } = sendStepSetup();
    await expect(handler(input, lambdaContext)).resolves.toMatchObject({ status: 'sent' });
    expect(emails).toHaveLength(1);
  });
});
