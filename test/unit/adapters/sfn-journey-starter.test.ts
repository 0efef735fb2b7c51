import { ExecutionAlreadyExists, InvalidName, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SfnJourneyStarter } from '#adapters/sfn-journey-starter.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:klantreis-dev-payment-reminder';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:klantreis-dev-payment-reminder:run-1';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());

describe('SfnJourneyStarter', () => {
  it('starts an execution named after the run id with the input as JSON', async () => {
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: EXECUTION, startDate: new Date('2026-12-01T07:00:00Z') });
    const starter = new SfnJourneyStarter(new SFNClient({}));

    const result = await starter.startJourney({
      stateMachineArn: STATE_MACHINE,
      runId: 'run-1',
      input: { customerId: 'c-1001', subject: { id: 'INV-1' } },
    });

    expect(result).toEqual({ executionArn: EXECUTION, alreadyStarted: false });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE,
      name: 'run-1',
      input: '{"customerId":"c-1001","subject":{"id":"INV-1"}}',
    });
  });

  it('reports a repeat of an existing run as already started, with that execution ARN', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const starter = new SfnJourneyStarter(new SFNClient({}));

    await expect(
      starter.startJourney({ stateMachineArn: STATE_MACHINE, runId: 'run-1', input: {} }),
    ).resolves.toEqual({
      executionArn: EXECUTION,
      alreadyStarted: true,
    });
  });

  it('passes other errors on', async () => {
    sfn.on(StartExecutionCommand).rejects(new InvalidName({ message: 'Invalid Name', $metadata: {} }));
    const starter = new SfnJourneyStarter(new SFNClient({}));

    await expect(
      starter.startJourney({ stateMachineArn: STATE_MACHINE, runId: 'bad name', input: {} }),
    ).rejects.toThrow('Invalid Name');
  });
});
