/**
 * Every repository over the stage table as one object, for code that is handed several of their ports
 * at once (a handler's wiring, the local runtime, the tests): each method is the one its aggregate's
 * repository in this folder defines (`customers.ts`, `phone-lookup.ts`, `consents.ts`, `events.ts`,
 * `subjects.ts`, `due-subjects.ts`, `runs.ts`, `run-starts.ts`, `run-progress.ts`, `timeline.ts`,
 * `sends.ts`, `deliveries.ts`, `suppressions.ts`, `suppression-migration.ts`, `erasures.ts`,
 * `personal-data.ts`, `holds.ts`, `hand-overs.ts`, `short-links.ts`, `short-link-visits.ts`).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoConsents } from './consents.ts';
import { DynamoCustomers } from './customers.ts';
import { DynamoDeliveries } from './deliveries.ts';
import { DynamoDueSubjects } from './due-subjects.ts';
import { DynamoErasures } from './erasures.ts';
import { DynamoEvents } from './events.ts';
import { DynamoHandOvers } from './hand-overs.ts';
import { DynamoHolds } from './holds.ts';
import { DynamoPersonalData } from './personal-data.ts';
import { DynamoPhoneLookup } from './phone-lookup.ts';
import { DynamoRunProgress } from './run-progress.ts';
import { DynamoRunStarts } from './run-starts.ts';
import { DynamoRuns } from './runs.ts';
import { DynamoSends } from './sends.ts';
import { DynamoShortLinkVisits } from './short-link-visits.ts';
import { DynamoShortLinks } from './short-links.ts';
import type { DynamoRepositoryOptions } from './stage-table.ts';
import { DynamoSubjects } from './subjects.ts';
import { DynamoSuppressionMigration } from './suppression-migration.ts';
import { DynamoSuppressions } from './suppressions.ts';
import { DynamoTimeline } from './timeline.ts';

export type { DynamoRepositoryOptions } from './stage-table.ts';

/** A repository's public methods (its `#private` state stays behind them). */
export type MethodsOf<T> = { [K in keyof T]: T[K] };

export type DynamoRepository = MethodsOf<DynamoCustomers> &
  MethodsOf<DynamoPhoneLookup> &
  MethodsOf<DynamoConsents> &
  MethodsOf<DynamoEvents> &
  MethodsOf<DynamoSubjects> &
  MethodsOf<DynamoDueSubjects> &
  MethodsOf<DynamoRuns> &
  MethodsOf<DynamoRunStarts> &
  MethodsOf<DynamoRunProgress> &
  MethodsOf<DynamoTimeline> &
  MethodsOf<DynamoSends> &
  MethodsOf<DynamoDeliveries> &
  MethodsOf<DynamoSuppressions> &
  MethodsOf<DynamoSuppressionMigration> &
  MethodsOf<DynamoErasures> &
  MethodsOf<DynamoPersonalData> &
  MethodsOf<DynamoHolds> &
  MethodsOf<DynamoHandOvers> &
  MethodsOf<DynamoShortLinks> &
  MethodsOf<DynamoShortLinkVisits>;

/**
 * Returns one object with the methods of every repository given, each bound to its repository; a
 * name two of them define is a mistake. The caller names the type it builds (`T`).
 */
export function combined<T>(repositories: readonly object[]): T {
  const methods: Record<string, unknown> = {};
  for (const repository of repositories) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(repository))) {
      if (name === 'constructor') continue;
      if (name in methods) throw new Error(`two repositories define ${name}`);
      const method = (repository as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
      methods[name] = method.bind(repository);
    }
  }
  return methods as T;
}

/** Returns the repositories of every aggregate over the table `tableName`, as one object. */
export function dynamoRepository(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: DynamoRepositoryOptions = {},
): DynamoRepository {
  return combined<DynamoRepository>(
    [
      DynamoCustomers,
      DynamoPhoneLookup,
      DynamoConsents,
      DynamoEvents,
      DynamoSubjects,
      DynamoDueSubjects,
      DynamoRuns,
      DynamoRunStarts,
      DynamoRunProgress,
      DynamoTimeline,
      DynamoSends,
      DynamoDeliveries,
      DynamoSuppressions,
      DynamoSuppressionMigration,
      DynamoErasures,
      DynamoPersonalData,
      DynamoHolds,
      DynamoHandOvers,
      DynamoShortLinks,
      DynamoShortLinkVisits,
    ].map((Aggregate) => new Aggregate(doc, tableName, options)),
  );
}
