import { DynamoRunMoves } from '#adapters/dynamo/run-moves.ts';
import { dynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { journeyStateMachinesFromEnv, readEnv, tableEnv } from '#adapters/env.ts';
import { createRepository } from '#adapters/repository-wiring.ts';
import { sfnClient } from '#adapters/sfn-client.ts';
import { SfnJourneyStarter } from '#adapters/sfn-journey-starter.ts';
import { systemClock } from '#adapters/system-clock.ts';

/** What both journey starters (the HTTP API and the scheduled batch) run on in Lambda. */
export function journeyStartWiring() {
  const repository = createRepository();
  return {
    customers: repository,
    runs: repository,
    timeline: repository,
    starter: new SfnJourneyStarter(sfnClient()),
    clock: systemClock,
    journeys: journeyStateMachinesFromEnv(),
    positions: new DynamoRunMoves(dynamoDbDocumentClient(), readEnv(tableEnv).TABLE_NAME),
  };
}
