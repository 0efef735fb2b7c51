/**
 * What a result costs, in whole micro-USD (so DynamoDB's atomic ADD stays exact): the delivery as
 * the policy's `channelCosts` price a message, and the orchestration from the units a journey step
 * visit is charged for, priced from `functions/core/data/orchestration-prices.json` (the step
 * visit's subset of `test/bench/prices.json`, which the benchmarks use and which names each price's
 * source; a unit test keeps the two equal).
 */

/** USD per unit: the prices a step visit is charged at. */
export interface OrchestrationPrices {
  stepFunctionsStandardPerTransition: number;
  lambdaPerRequest: number;
  lambdaArmPerGbSecond: number;
  dynamoDbOnDemandPerWriteUnit: number;
}

/** The units one step visit used. */
export interface VisitUnits {
  /** Standard workflow state transitions: the step's Wait and its Task (the journeys' ASL shape). */
  transitions: number;
  lambdaInvocations: number;
  /** Billed duration × memory. */
  lambdaGbSeconds: number;
  /** Write request units (items up to 1 KB; a transaction's item counts twice). */
  dynamoDbWrites: number;
}

/**
 * Transitions of one visit of a message step: its Wait, then its Task (`statemachines/*.asl.json`:
 * Task → Wait per step). A deferral's Catch, Pass and Wait add three more; those are not counted here.
 */
export const TRANSITIONS_PER_VISIT = 2;

/** Returns USD as whole micro-USD. */
export function microUsd(usd: number): number {
  return Math.max(0, Math.round(usd * 1_000_000));
}

/** Returns the orchestration cost of a visit's units, in micro-USD. */
export function orchestrationMicroUsd(units: VisitUnits, prices: OrchestrationPrices): number {
  return microUsd(
    units.transitions * prices.stepFunctionsStandardPerTransition +
      units.lambdaInvocations * prices.lambdaPerRequest +
      units.lambdaGbSeconds * prices.lambdaArmPerGbSecond +
      units.dynamoDbWrites * prices.dynamoDbOnDemandPerWriteUnit,
  );
}

/** Returns the units of one step visit: a Lambda at `memoryMb` for `billedMs`, and its table writes. */
export function visitUnits(billedMs: number, memoryMb: number, dynamoDbWrites: number): VisitUnits {
  return {
    transitions: TRANSITIONS_PER_VISIT,
    lambdaInvocations: 1,
    lambdaGbSeconds: (Math.max(1, Math.ceil(billedMs)) / 1000) * (memoryMb / 1024),
    dynamoDbWrites,
  };
}
