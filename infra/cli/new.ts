/**
 * `klantreis new subject <type>` and `klantreis new journey <id> --subject <type>`: the files a new subject
 * type or journey starts from, then `generate`. See docs/writing-a-journey.md.
 */
import type { SubjectRegistry } from '#subjects/registry.ts';
import type { CliIo } from './new-io.ts';
import { NEW_JOURNEY_USAGE, runNewJourney, type SubjectTypes } from './new-journey.ts';
import { NEW_SUBJECT_USAGE, runNewSubject } from './new-subject.ts';

const USAGE = `${NEW_SUBJECT_USAGE}\n\n${NEW_JOURNEY_USAGE}`;

/** A fixed moment for the starter templates' sample, so the same command writes the same files. */
const SAMPLE_NOW = new Date('2026-12-01T09:00:00Z');

export async function runNew(args: readonly string[], io: CliIo, root: string): Promise<number> {
  const [what, ...rest] = args;
  let status: number;
  if (what === 'subject') {
    status = runNewSubject(rest, io, root);
  } else if (what === 'journey') {
    // Read only now: a subject module written a moment ago by `new subject` is in the registry already.
    const { subjects } = await import('#subjects/registry.ts');
    status = runNewJourney(rest, io, root, subjectTypesOf(subjects));
  } else if (what === undefined || what === '--help' || what === '-h') {
    io.out(USAGE);
    return 0;
  } else {
    io.err(`klantreis new: unknown kind "${what}" (subject or journey)\n\n${USAGE}`);
    return 2;
  }
  if (status !== 0 || rest.includes('--help') || rest.includes('-h')) return status;
  const { runGenerate } = await import('./generate.ts');
  return runGenerate([], io, root);
}

/** What `new journey` reads of the registry: the types, and per type its sample, first link, a date and exit event. */
export function subjectTypesOf(registry: SubjectRegistry): SubjectTypes {
  return {
    types: registry.types,
    starter(type) {
      const spec = registry.spec(type);
      if (!spec) throw new Error(`unknown subject type ${type}`);
      const sample = spec.sample({ id: 'c-100042', now: SAMPLE_NOW });
      const seen = registry.templateDataOf(sample)[type] as Record<string, unknown>;
      return {
        type,
        sample,
        link: Object.keys(registry.linksOf(sample))[0],
        date: spec.dates.find((field) => field in seen),
        exitEvent: registry.exitEventTypes.find((event) => registry.event(event)?.subject.type === type),
      };
    },
  };
}
