/** Customers: their profile (with consents), behaviour events and subjects, and finding them by phone or email address. */
import type { BehaviourEvent } from '../behaviour.ts';
import type { Consent, CustomerProfile } from '../customer.ts';
import type { SubjectState } from '../subject-state.ts';

export interface CustomerRepository {
  getCustomer(customerId: string): Promise<CustomerProfile | undefined>;
  putCustomer(customer: CustomerProfile, at: Date): Promise<void>;
  /**
   * Read-modify-write of one profile that loses no write made in between (an SMS STOP, a complaint,
   * another API call): `change` gets the stored profile (undefined when there is none) and returns
   * the one to store, or undefined to store nothing; it runs again on the fresh profile when another
   * write came first. Returns what is stored afterwards and whether this call created it.
   */
  updateCustomer(
    customerId: string,
    change: (stored: CustomerProfile | undefined) => CustomerProfile | undefined,
    at: Date,
  ): Promise<{ profile: CustomerProfile | undefined; created: boolean }>;
  /** Behaviour events that happened at or after `since`, oldest first. */
  listEvents(customerId: string, since: Date): Promise<BehaviourEvent[]>;
  recordEvent(customerId: string, event: BehaviourEvent, eventId: string): Promise<void>;
  getSubject(customerId: string, subjectId: string): Promise<SubjectState | undefined>;
  putSubject(subject: SubjectState): Promise<void>;
}

/** Finding customers by an address they gave, for replies that arrive without any other reference. */
export interface CustomerLookup {
  /** Returns the ids of the customers with this phone number (a number may be shared). */
  customerIdsByPhone(phone: string): Promise<string[]>;
}

/** Finding customers by their email address, for a person at the console. */
export interface EmailLookup {
  /** Returns the ids of the customers with this email address (eventually consistent: an index). */
  customerIdsByEmail(email: string): Promise<string[]>;
}

export interface ConsentRepository {
  /**
   * Appends consent records to the customer's profile (oldest dropped beyond the profile's limit);
   * returns false when the customer does not exist.
   */
  recordConsents(customerId: string, consents: Consent[], at: Date): Promise<boolean>;
}
