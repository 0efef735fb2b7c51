/**
 * Errors a journey may see from a step. Their `name` becomes the Step Functions error name,
 * so an ASL `Catch` or `Retry` can match it; their message never carries personal data.
 */
export class CustomerNotFound extends Error {
  constructor() {
    super('customer not found');
    this.name = 'Klantreis.CustomerNotFound';
  }
}

export class UnknownSegment extends Error {
  constructor(segmentId: string) {
    super(`segment ${segmentId} is not in the communication policy`);
    this.name = 'Klantreis.UnknownSegment';
  }
}

/**
 * The provider (SES, SNS) throttled the send; nothing was sent and the claim is released.
 * Journeys retry it with backoff and jitter.
 */
export class ProviderThrottled extends Error {
  constructor(code: string) {
    super(`provider throttled the send (${code})`);
    this.name = 'Klantreis.ProviderThrottled';
  }
}

/** The provider answered with a server error; nothing was sent and the claim is released. Retried. */
export class ProviderUnavailable extends Error {
  constructor(code: string) {
    super(`provider unavailable (${code})`);
    this.name = 'Klantreis.ProviderUnavailable';
  }
}

/** This second's sending budget of the channel (stage config) is used up; retried with jitter. */
export class RateLimited extends Error {
  constructor(channel: string) {
    super(`${channel} sending rate of the account reached for this second`);
    this.name = 'Klantreis.RateLimited';
  }
}

/**
 * The provider accepted the message but recording that failed. A retry finds the step's claim and
 * sends nothing (see `functions/application/send-step.ts`), so retrying is safe.
 */
export class SendNotRecorded extends Error {
  constructor() {
    super('message accepted by the provider but its send record was not written');
    this.name = 'Klantreis.SendNotRecorded';
  }
}

/** A provider event arrived before its send record was visible; the event source delivers it again. */
export class SendRecordNotYetVisible extends Error {
  constructor() {
    super('no send record for this provider message yet');
    this.name = 'Klantreis.SendRecordNotYetVisible';
  }
}

/**
 * The send never left this process (no connection, or none within the client's connection timeout:
 * every socket busy); nothing was sent and the claim is released. Tried again, as throttling is.
 */
export class ProviderNotReached extends Error {
  constructor(code: string) {
    super(`provider not reached, nothing sent (${code})`);
    this.name = 'Klantreis.ProviderNotReached';
  }
}

/**
 * The event's effects are recorded but one of its result events is not: thrown last, so the event
 * source delivers the event again and the missing count is recorded then (the counted ones once).
 */
export class ResultsNotRecorded extends Error {
  constructor() {
    super('result events not recorded; the event is delivered again');
    this.name = 'Klantreis.ResultsNotRecorded';
  }
}
