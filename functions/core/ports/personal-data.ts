/** Personal data as a whole: the export of everything stored about a customer, and their erasure. */
import type { BehaviourEvent } from '../behaviour.ts';
import type { CustomerProfile } from '../customer.ts';
import type { HandOverRecord } from '../hand-over-desk.ts';
import type { Hold } from '../hold.ts';
import type { LetterToPost } from '../letter.ts';
import type { ShortLink } from '../short-link.ts';
import type { SubjectState } from '../subject-state.ts';
import type { JourneyRun } from './runs.ts';
import type { SendRecord } from './sends.ts';
import type { TimelineEntry } from './timeline.ts';

/**
 * The erasure record of a customer: written before anything of theirs is deleted, so every writer
 * that could bring their data back (a journey step in flight) sees it and stops; kept (keyed by a
 * keyed hash of the id, no personal data) until well after the erasure's second pass.
 */
export interface ErasureRecord {
  erasedAt: string;
  /** When the second pass (which removes anything written after the erasure) is scheduled. */
  secondPassAt: string;
  /** What the second pass did, once it ran. */
  secondPass?: { ranAt: string; removedItems: number; stoppedRuns: number };
}

/** Whether a customer was erased: the send pipeline asks at the claim and again just before the provider. */
export interface ErasureCheck {
  isErased(customerId: string): Promise<boolean>;
}

export interface ErasureRepository extends ErasureCheck {
  markErased(customerId: string, erasure: { erasedAt: Date; secondPassAt: Date }): Promise<void>;
  getErasure(customerId: string): Promise<ErasureRecord | undefined>;
  /** Records the second pass on the erasure record; false when there is none (expired). */
  recordSecondPass(
    customerId: string,
    pass: { ranAt: Date; removedItems: number; stoppedRuns: number },
  ): Promise<boolean>;
}

/** Runs the erasure's second pass by itself at `at`: EventBridge Scheduler on AWS, the simulated clock locally. */
export interface ErasurePassScheduler {
  scheduleSecondPass(customerId: string, at: Date): Promise<void>;
}

/** Everything stored about one customer, for a GDPR (AVG) export. Suppressions hold no address and are not included. */
export interface CustomerDataExport {
  customerId: string;
  profile?: CustomerProfile;
  events: Array<BehaviourEvent & { eventId: string }>;
  /** Newest first; bodies only while within retention. */
  timeline: TimelineEntry[];
  subjects: SubjectState[];
  runs: JourneyRun[];
  sends: SendRecord[];
  /** Holds a person put on the customer's messages (a pause, a promise to pay). */
  holds: Hold[];
  /** Hand-overs to a person, with who took and closed them. */
  handOvers: HandOverRecord[];
  /** The short links of the customer's SMS messages, with their targets and when each was first followed. */
  shortLinks: ShortLink[];
  /** The letters recorded for posting, with the address they went to (a posted letter keeps its record). */
  letters: LetterToPost[];
}

export interface PersonalDataRepository {
  exportCustomerData(customerId: string): Promise<CustomerDataExport>;
  /** Deletes every item of the customer; suppressions stay, so an opt-out outlives the erasure. */
  eraseCustomerData(customerId: string): Promise<{ deletedItems: number }>;
}
