// Written by `npx klantreis generate` from the journey definitions (`statemachines/<id>.journey.json`);
// a test checks that it is up to date. The ASL is imported as JSON, so the bundler puts it into only
// the bundles that import this module (the handlers that draw the journeys, never the journey step).
import appointment from '../../statemachines/appointment.asl.json' with { type: 'json' };
import onboarding from '../../statemachines/onboarding.asl.json' with { type: 'json' };
import paymentArrangement from '../../statemachines/payment-arrangement.asl.json' with { type: 'json' };
import paymentReminder from '../../statemachines/payment-reminder.asl.json' with { type: 'json' };

/** Each journey’s parsed ASL definition (the function ARN placeholders left in). */
export const journeyDefinitions: Readonly<Record<string, unknown>> = {
  appointment,
  onboarding,
  'payment-arrangement': paymentArrangement,
  'payment-reminder': paymentReminder,
};
