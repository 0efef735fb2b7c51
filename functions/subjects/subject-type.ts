/**
 * A subject type: what a journey is about (an invoice, an account, an appointment, a contract), declared
 * once in its own module in this folder. Everything that knows about subjects reads the registry
 * (`./registry.ts`): the start's validation, the events that move a subject, the goal check, the exit of
 * running journeys, the template data and links, the waits relative to a subject's dates, the stored
 * status, the preview's sample data. Adding a subject type is adding its module; nothing else changes.
 *
 * Pure: no AWS, no I/O, no clock reads (the event's `now` is passed in).
 */
import type * as z from 'zod/mini';

/** Every subject as a journey carries it: its type, its id, and the fields its module declares. */
export interface SubjectBase {
  type: string;
  id: string;
}

/** What a business event about a subject does (`POST /customers/{id}/events` with `subjectId`). */
export interface SubjectEventSpec {
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
   */
  data?: z.ZodMiniType<Record<string, unknown>>;
  /** The event must carry `data` (e.g. a rescheduling without a new start means nothing). */
  dataRequired?: true;
  /** One line for the API document: what the event means for the subject. */
  description: string;
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
   * are refused where journeys are read (`npm test`, `npm start`, `cdk synth`).
   */
  dates: readonly string[];
  /** The subject's links a message may carry (`pay`, `renew`), read from the subject (absolute https). */
  links: (subject: S) => Readonly<Record<string, string | undefined>>;
  /**
   * What templates see under `{{ <type>.… }}` (default: the subject itself). Only what texts need
   * (data minimisation).
   */
  templateData?: (subject: S) => Readonly<Record<string, unknown>>;
  /** A realistic subject for previews and template validation, per sample customer (`id` and dates given). */
  sample: (input: { id: string; now: Date }) => S;
}

/** Declares a subject type; the identity function that lets TypeScript check the module against the contract. */
export function defineSubject<S extends SubjectBase>(spec: SubjectTypeSpec<S>): SubjectTypeSpec<S> {
  return spec;
}
