/**
 * A subject type: what a journey is about (an invoice, an account, an appointment, a contract), declared
 * once in its own module in this folder. Everything that knows about subjects reads the registry
 * (`./registry.ts`): the start's validation, the events that move a subject, the goal check, the exit of
 * running journeys, the template data and links, the waits relative to a subject's dates, the stored
 * status, the demo's sample subjects. Adding a subject type is adding its module and running
 * `npx klantreis generate` (which lists it in `./all.ts`); nothing else changes.
 *
 * Pure: no AWS, no I/O, no clock reads (the event's `now` is passed in).
 */
import type * as z from 'zod/mini';

/**
 * Every subject as a journey carries it: its type, its id, and the fields its module declares. A type
 * alias, not an interface: its implicit index signature lets any subject pass where fields are read by name.
 */
export type SubjectBase = { type: string; id: string };

/** What a business event about a subject does (`POST /customers/{id}/events` with `subjectId`). */
export interface SubjectEventSpec<D extends Record<string, unknown> = Record<string, unknown>> {
  /** The status the subject has after the event. Absent: the event changes no status. */
  status?: string;
  /**
   * The event ends every running journey about the subject at once (`invoice.paid`, `contract.renewed`,
   * `appointment.cancelled`); the goal check at the next step stays as the backstop.
   */
  exit?: true;
  /**
   * The event's `data` describes the subject (`invoice.created` with amount, due date and pay link; an
   * `appointment.rescheduled` with the new start): validated with this schema (a 400 names each failing
   * `data.` field) and stored on the subject item, where later steps and the scheduled batch read it.
   * Its fields named in the subject's `dates` must lie within ten years of the request.
   */
  data?: z.ZodMiniType<D>;
  /** The event must carry `data` (e.g. a rescheduling without a new start means nothing). */
  dataRequired?: true;
  /**
   * What the subject item keeps of the event's valid `data` (default: the data's fields as they are):
   * e.g. the whole invoice under `invoice`, or an appointment's start with the moments derived from it.
   */
  stored?(data: D, subjectId: string): Readonly<Record<string, unknown>>;
  /** One line for the API document: what the event means for the subject. */
  description: string;
}

/** What a sample subject is made for: its id, and the moment its dates are relative to. */
export interface SampleInput {
  id: string;
  /** The sample's dates follow from it (an invoice due that day, a visit a few days later). */
  now: Date;
  /** The sample customer's country (ISO 3166-1 alpha-2), for a subject with money in its currency. */
  country?: string;
  /** Varies the sample's figures between sample customers (the demo's index of the customer). */
  variant?: number;
}

export interface SubjectTypeSpec<S extends SubjectBase = SubjectBase> {
  /** The `subject.type` a journey is started with, and the name templates read it under (`{{ invoice.amount }}`). */
  type: S['type'];
  /** The subject as a start carries it: `type` literal, `id`, and its own fields. Strict: unknown keys are refused. */
  schema: z.ZodMiniType<S>;
  /** Where a subject of this type can stand; the first is where a new one starts (`open`). */
  statuses: readonly [string, ...string[]];
  /** Reaching one of these statuses is the goal of a journey about the subject (`paid`, `activated`). */
  goalStatuses: readonly string[];
  /** The business events about this subject type, by event type (`invoice.created`, `invoice.paid`). */
  events: Readonly<Record<string, SubjectEventSpec>>;
  /**
   * The subject's dates a wait may be relative to (`dueDate`, `endDate`, `startsAt`): field names of the
   * subject holding an ISO date or an ISO date-time with offset. Journey definitions naming another field
   * are refused where journeys are read (`npm test`, `npm start`, `cdk synth`). A start or an event
   * stating one of them outside ten years of the request is refused with a 400.
   */
  dates: readonly string[];
  /** The subject's links a message may carry (`pay`, `renew`), read from the subject (absolute https). */
  links(subject: S): Readonly<Record<string, string | undefined>>;
  /**
   * What templates see under `{{ <type>.… }}` (default: the subject itself). Only what texts need
   * (data minimisation).
   */
  templateData?(subject: S): Readonly<Record<string, unknown>>;
  /**
   * The fields the subject item keeps besides its status (each optional in the item), as `storedAtStart`
   * and the events' `stored` write them: e.g. `invoice`, or an appointment's `startsAt` and the moments
   * derived from it. Names are distinct across subject types (the registry refuses a clash).
   */
  storedFields?: Readonly<Record<string, z.ZodMiniType>>;
  /**
   * The subject item a start writes before the run, for fields the journey re-reads after each wait and
   * later events rewrite (the appointment's start and the moments derived from it). Absent: the start
   * writes no subject item (an invoice's item is written by `invoice.created`).
   */
  storedAtStart?(subject: S): Readonly<Record<string, unknown>>;
  /** A realistic subject for the demo and the tests; a test checks it is valid by `schema`. */
  sample(input: SampleInput): S;
}

/** The subject type a spec declares (`SubjectOf<typeof invoice>`). */
export type SubjectOf<T> = T extends SubjectTypeSpec<infer S> ? S : never;

/** Declares a subject type; the identity function that lets TypeScript check the module against the contract. */
export function defineSubject<S extends SubjectBase>(spec: SubjectTypeSpec<S>): SubjectTypeSpec<S> {
  return spec;
}

/**
 * Declares a subject's event, its `data` typed for its `stored` hook; the registry reads every event
 * alike (`SubjectEventSpec` of a record).
 */
export function subjectEvent<D extends Record<string, unknown>>(spec: SubjectEventSpec<D>): SubjectEventSpec {
  return spec as unknown as SubjectEventSpec;
}
