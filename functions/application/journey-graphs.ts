/** The catalog's journeys as graphs (`#core/journey-graph.ts`), from their bundled definitions. */
import { journeys } from '#catalog/catalog.ts';
import { type JourneyGraph, journeyGraphOf } from '#core/journey-graph.ts';
import { journeyDefinitions } from './journey-definitions.ts';

/** Returns the catalog's journeys as graphs, each with the subject it is about. */
export function catalogGraphs(): (JourneyGraph & { subject?: string })[] {
  return journeys.map((journey) => ({
    ...journeyGraphOf(journey.id, journeyDefinitions[journey.id]),
    ...('subject' in journey ? { subject: journey.subject } : {}),
  }));
}
