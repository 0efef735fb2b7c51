/**
 * The subject registry: every subject type (`./all.ts`) and what follows from their declarations — the
 * union schema a journey's start is validated with, the event types and what each does to its subject,
 * the statuses, the goal check, the template data and links. Built from a list of specs, so a test can
 * build one with a subject type of its own; `subjects` is the registry of this folder's modules.
 */
import * as z from 'zod/mini';
import { BEHAVIOURAL_EVENT_TYPES, EventTypeSchema } from '#core/behaviour.ts';
import type { JourneySubject } from '#core/journey-step.ts';
import { goalReachedReason } from '#core/journey-step-run.ts';
import { type SubjectState, SubjectStateBaseShape } from '#core/subject-state.ts';
import type { TemplateSubject } from '#core/template-data.ts';
import { subjectModules } from './all.ts';
import type { SubjectEventSpec, SubjectTypeSpec } from './subject-type.ts';

/** An event type a subject type declares, with that subject type. */
export interface SubjectEventEntry {
  type: string;
  subject: SubjectTypeSpec;
  event: SubjectEventSpec;
}

/** The event's `data` as the subject item keeps it and the subject's dates it states, or why it is refused. */
export type EventDataResult =
  | {
      ok: true;
      stored: Readonly<Record<string, unknown>> | undefined;
      dates: Readonly<Record<string, unknown>>;
    }
  | { ok: false; error: z.core.$ZodError };

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function nonEmpty(values: readonly string[], what: string): [string, ...string[]] {
  if (values.length === 0) throw new Error(`the subject registry declares no ${what}`);
  return values as [string, ...string[]];
}

export class SubjectRegistry {
  readonly specs: readonly SubjectTypeSpec[];
  readonly #byType: ReadonlyMap<string, SubjectTypeSpec>;
  readonly #byEvent: ReadonlyMap<string, SubjectEventEntry>;
  /** Any journey's subject, told apart by `type`: each type's strict schema. */
  readonly schema: z.ZodMiniType<JourneySubject>;
  /** Every status a subject can stand at, for the store, the export and its document. */
  readonly statuses: readonly [string, ...string[]];
  /** The stored subject item: its status and the fields its subject type keeps there. */
  readonly stateSchema: z.ZodMiniType<SubjectState>;

  constructor(specs: readonly SubjectTypeSpec[]) {
    this.specs = specs;
    const byType = new Map<string, SubjectTypeSpec>();
    const byEvent = new Map<string, SubjectEventEntry>();
    const stored: Record<string, z.ZodMiniType> = {};
    for (const spec of specs) {
      if (byType.has(spec.type)) throw new Error(`subject type ${spec.type} is declared twice`);
      byType.set(spec.type, spec);
      for (const [type, event] of Object.entries(spec.events)) {
        // Stored with the customer's events, and taken by the API beside the behavioural ones.
        if (!EventTypeSchema.safeParse(type).success) {
          throw new Error(`event ${type} of ${spec.type} is not named <name>.<what> (a-z, 0-9, -)`);
        }
        if ((BEHAVIOURAL_EVENT_TYPES as readonly string[]).includes(type)) {
          throw new Error(`event ${type} of ${spec.type} is a behavioural event's type`);
        }
        const other = byEvent.get(type);
        if (other) throw new Error(`event ${type} is declared by ${other.subject.type} and ${spec.type}`);
        if (event.status !== undefined && !spec.statuses.includes(event.status)) {
          throw new Error(`event ${type} moves ${spec.type} to ${event.status}, not one of its statuses`);
        }
        byEvent.set(type, { type, subject: spec, event });
      }
      for (const goal of spec.goalStatuses) {
        if (!spec.statuses.includes(goal))
          throw new Error(`${spec.type}'s goal ${goal} is not one of its statuses`);
      }
      for (const [field, schema] of Object.entries(spec.storedFields ?? {})) {
        if (field in stored || field in SubjectStateBaseShape) {
          throw new Error(`stored field ${field} of ${spec.type} is declared twice`);
        }
        stored[field] = z.optional(schema);
      }
    }
    this.#byType = byType;
    this.#byEvent = byEvent;
    const schemas = specs.map((spec) => spec.schema as unknown as z.ZodMiniObject);
    this.schema = (schemas.length === 1
      ? schemas[0]
      : z.discriminatedUnion(
          'type',
          schemas as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]],
        )) as unknown as z.ZodMiniType<JourneySubject>;
    this.statuses = nonEmpty(unique(specs.flatMap((spec) => spec.statuses)), 'statuses');
    this.stateSchema = z.object({
      ...SubjectStateBaseShape,
      status: z.enum(this.statuses),
      ...stored,
    }) as unknown as z.ZodMiniType<SubjectState>;
  }

  /** Every subject type, in the registry's order. */
  get types(): readonly string[] {
    return this.specs.map((spec) => spec.type);
  }

  /** Returns the subject type's declaration, if the registry has it. */
  spec(type: string): SubjectTypeSpec | undefined {
    return this.#byType.get(type);
  }

  /** Returns the declaration of a subject's type; a subject of an unknown type is a programming error here. */
  specOf(subject: Pick<JourneySubject, 'type'>): SubjectTypeSpec {
    const spec = this.#byType.get(subject.type);
    if (!spec) throw new Error(`unknown subject type: ${subject.type}`);
    return spec;
  }

  /** Every event type the subject types declare (`invoice.created`, `portal.activated`, …). */
  get eventTypes(): readonly string[] {
    return [...this.#byEvent.keys()];
  }

  /** Returns what an event type does and the subject type it is about, if a subject type declares it. */
  event(type: string): SubjectEventEntry | undefined {
    return this.#byEvent.get(type);
  }

  /** The event types that end every running journey about their subject at once. */
  get exitEventTypes(): readonly string[] {
    return [...this.#byEvent.values()].filter((entry) => entry.event.exit).map((entry) => entry.type);
  }

  /** The event types that move their subject to a status: they need `subjectId`. */
  get statusEventTypes(): readonly string[] {
    return [...this.#byEvent.values()].filter((entry) => entry.event.status).map((entry) => entry.type);
  }

  /**
   * Returns the event's `data` as the subject item keeps it (`stored`, undefined when the event has no
   * data to keep) and the subject's dates it states, or the error of `data` (its paths under `data`).
   */
  eventData(
    type: string,
    data: Readonly<Record<string, unknown>> | undefined,
    subjectId: string,
  ): EventDataResult {
    const entry = this.#byEvent.get(type);
    const schema = entry?.event.data;
    if (!entry || !schema || (data === undefined && !entry.event.dataRequired)) {
      return { ok: true, stored: undefined, dates: {} };
    }
    const parsed = schema.safeParse(data ?? {});
    if (!parsed.success) return { ok: false, error: parsed.error };
    const dates = Object.fromEntries(
      entry.subject.dates.filter((field) => field in parsed.data).map((field) => [field, parsed.data[field]]),
    );
    return { ok: true, stored: entry.event.stored?.(parsed.data, subjectId) ?? parsed.data, dates };
  }

  /** Returns why the journey's goal is reached (the stored subject's status is one of its type's goals), or null. */
  goalReachedReason(
    subject: Pick<JourneySubject, 'type'>,
    stored: Pick<SubjectState, 'status'> | undefined,
  ): string | null {
    return goalReachedReason(subject, stored, this.specOf(subject).goalStatuses);
  }

  /** Returns what templates see of the subject, under its type's name (`{ invoice: { amount, … } }`). */
  templateDataOf(subject: JourneySubject): Readonly<Record<string, unknown>> {
    const spec = this.specOf(subject);
    return { [spec.type]: spec.templateData?.(subject) ?? subject };
  }

  /** Returns the subject's own links (`pay`, `activate`, `manage`, …): the absent ones left out. */
  linksOf(subject: JourneySubject): Readonly<Record<string, string>> {
    const links = this.specOf(subject).links(subject);
    return Object.fromEntries(
      Object.entries(links).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }

  /** Returns what templates see of the subject: its data under its type's name and its own links. */
  templateSubjectOf(subject: JourneySubject): TemplateSubject {
    return { data: this.templateDataOf(subject), links: this.linksOf(subject) };
  }

  /** Returns the subject's dates (field → value) that it states, for the window checks and the waits. */
  datesOf(subject: JourneySubject): Readonly<Record<string, unknown>> {
    const spec = this.specOf(subject);
    return Object.fromEntries(
      spec.dates.filter((field) => field in subject).map((field) => [field, subject[field]]),
    );
  }

  /** Returns the subject item a start writes before its run (status: the type's first), or undefined for none. */
  stateAtStart(subject: JourneySubject, customerId: string, updatedAt: string): SubjectState | undefined {
    const spec = this.specOf(subject);
    if (!spec.storedAtStart) return undefined;
    return {
      customerId,
      subjectId: subject.id,
      status: spec.statuses[0],
      updatedAt,
      ...spec.storedAtStart(subject),
    };
  }
}

/** The type of a subject module in this folder (`invoice`, …). */
export type SubjectType = (typeof subjectModules)[number]['type'];

/** The registry of the subject modules in this folder: what the handlers, the catalog and the tooling read. */
export const subjects = new SubjectRegistry(subjectModules);
