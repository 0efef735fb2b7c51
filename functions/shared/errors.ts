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
