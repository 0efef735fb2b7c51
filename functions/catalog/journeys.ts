// Written by `npx klantreis generate` from the journey definitions (`statemachines/<id>.journey.json`);
// a test checks that it is up to date.
import type { JourneySpec } from './journey-spec.ts';

export const journeys = [
  { id: 'appointment', definitionFile: 'statemachines/appointment.asl.json', subject: 'appointment' },
  {
    id: 'onboarding',
    definitionFile: 'statemachines/onboarding.asl.json',
    subject: 'account',
    plansFirstWake: true,
  },
  {
    id: 'payment-arrangement',
    definitionFile: 'statemachines/payment-arrangement.asl.json',
    subject: 'instalment',
    plansFirstWake: true,
    firstWake: { daysBefore: 3, of: 'dueDate' },
  },
  {
    id: 'payment-reminder',
    definitionFile: 'statemachines/payment-reminder.asl.json',
    subject: 'invoice',
    plansFirstWake: true,
  },
] as const satisfies readonly JourneySpec[];
