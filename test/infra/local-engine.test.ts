import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { type AslDefinition, allStates } from '#infra/local/asl.ts';
import { JourneyEngine } from '#infra/local/journey-engine.ts';
import {
  LAMBDA_TIMEOUT_SECONDS,
  LOCAL_TIMEOUT_FACTOR,
  localLambdaContext,
} from '#infra/local/lambda-context.ts';
import { SimulatedClock } from '#infra/local/simulated-clock.ts';

const FN = 'arn:aws:lambda:eu-west-1:000000000000:function:start-batch';
const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:batch';

// A batch as the scheduled batch runs it: a Map of one Lambda task per batch of items.
const batchMachine: AslDefinition = {
  StartAt: 'StartBatches',
  States: {
    StartBatches: {
      Type: 'Map',
      ItemsPath: '$.batches',
      MaxConcurrency: 3,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'StartRunsOfBatch',
        States: {
          StartRunsOfBatch: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: FN, 'Payload.$': '$' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
      End: true,
    },
  },
};

const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
afterAll(() => dynamodb.destroy());

function engineWith(lambda: (payload: unknown) => Promise<unknown>) {
  return new JourneyEngine({
    stateMachines: new Map([[ARN, batchMachine]]),
    lambdas: new Map([[FN, lambda]]),
    dynamodb,
    clock: new SimulatedClock(new Date('2026-12-01T07:00:00Z')),
  });
}

describe('the local journey engine', () => {
  it("reports the failing Map iteration's own error, not the sibling aborts", async () => {
    // The batches after the third are still running when it fails: their aborts come after its error.
    const thirdFailed = Promise.withResolvers<void>();
    const engine = engineWith(async (payload) => {
      const { batch } = payload as { batch: number };
      if (batch === 3) {
        thirdFailed.resolve();
        throw Object.assign(new Error('batch 3 could not start its runs'), { name: 'TimeoutError' });
      }
      if (batch > 3) await thirdFailed.promise;
      return { started: 1 };
    });
    const { execution } = engine.startExecution({
      stateMachineArn: ARN,
      name: 'failing',
      input: JSON.stringify({ batches: Array.from({ length: 8 }, (_, batch) => ({ batch })) }),
    });
    await execution.result;
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('TimeoutError');
    // As on AWS, a Lambda function error's cause is the JSON the runtime reports.
    expect(JSON.parse(execution.cause ?? '{}')).toMatchObject({
      errorType: 'TimeoutError',
      errorMessage: 'batch 3 could not start its runs',
    });
  });

  it('lets a Lambda task run as long as its function allows, not a 60 s engine default', () => {
    const engine = engineWith(async () => ({}));
    // The engine's copy of the definition, as it runs it, and the file's, left as it was.
    const machines = (engine as unknown as { machines: Map<string, { definition: AslDefinition }> }).machines;
    const run = machines.get(ARN)?.definition;
    expect(run && allStates(run).get('StartRunsOfBatch')?.TimeoutSeconds).toBeGreaterThan(
      LAMBDA_TIMEOUT_SECONDS * LOCAL_TIMEOUT_FACTOR,
    );
    expect(allStates(batchMachine).get('StartRunsOfBatch')?.TimeoutSeconds).toBeUndefined();
  });
});

describe('the local Lambda context', () => {
  it("counts the remaining time down from the invocation's start, with room for a shared process", () => {
    let now = 1_000_000;
    const context = localLambdaContext('klantreis-local-start-scheduled-runs', { now: () => now });
    const budget = LAMBDA_TIMEOUT_SECONDS * 1000 * LOCAL_TIMEOUT_FACTOR;
    expect(context.getRemainingTimeInMillis()).toBe(budget);
    // A batch that takes 12 s of wall time among hundreds of runs still has time left.
    now += 12_000;
    expect(context.getRemainingTimeInMillis()).toBe(budget - 12_000);
    now += budget;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });
});
