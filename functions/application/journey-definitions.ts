/**
 * The journeys' state machine definitions as data, for the handlers that draw them: imported as
 * JSON, so the bundler puts them into only the bundles that import this module (never the journey
 * step's), and the local runtime and the tests read the very same files the stack deploys.
 * `test/unit/core/journey-graph.test.ts` checks this list against the catalog's journeys.
 */
import appointment from '../../statemachines/appointment.asl.json' with { type: 'json' };
import onboarding from '../../statemachines/onboarding.asl.json' with { type: 'json' };
import paymentReminder from '../../statemachines/payment-reminder.asl.json' with { type: 'json' };

/** Each journey's parsed ASL definition (placeholders such as `${RunJourneyStepFunctionArn}` left in). */
export const journeyDefinitions: Readonly<Record<string, unknown>> = {
  'payment-reminder': paymentReminder,
  onboarding,
  appointment,
};
