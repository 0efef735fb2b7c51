import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { AslDefinition } from '#infra/local/asl.ts';
import { JourneyEngine } from '#infra/local/journey-engine.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';

const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:checked';
const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
afterAll(() => dynamodb.destroy());

function engineFor(definition: AslDefinition): JourneyEngine {
  return new JourneyEngine({
    stateMachines: new Map([[ARN, definition]]),
    lambdas: new Map(),
    dynamodb,
    clock: new SimulatedClock(new Date('2026-12-01T07:00:00Z')),
  });
}

const valid: AslDefinition = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };
const missingTarget: AslDefinition = {
  StartAt: 'First',
  States: { First: { Type: 'Pass', Next: 'Nowhere' }, Done: { Type: 'Succeed' } },
};

describe('the local engine validates each journey definition it loads', () => {
  it('refuses a definition whose transition has no target, every time it is loaded', () => {
    expect(() => engineFor(missingTarget)).toThrow(/invalid/i);
    // A refused text is never remembered as validated: loading it again is refused again.
    expect(() => engineFor(missingTarget)).toThrow(/invalid/i);
  });

  it('loads a valid definition a second time and runs it', async () => {
    engineFor(valid);
    const engine = engineFor(valid);
    const { execution } = engine.startExecution({ stateMachineArn: ARN, name: 'run-1', input: '{}' });
    await execution.result;
    expect(execution.status).toBe('SUCCEEDED');
  });
});
