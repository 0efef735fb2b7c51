/**
 * The starter end-to-end test `klantreis new journey` writes to `test/e2e/<journey>.test.ts`: the whole
 * local runtime with simulated time, two customers, the starter journey's two messages and the subject's
 * exit event mid-wait. It passes as written, and is meant to be rewritten into the journey's own promises.
 */

export interface StarterTest {
  journeyId: string;
  subjectType: string;
  /** The event that ends every running journey about the subject (`contract.renewed`), if the type has one. */
  exitEvent?: string;
  /** The state the run waits in before its second message (`WaitForReminder`). */
  secondWait: string;
  /** The message steps in order (`notice`, `reminder`). */
  stepIds: readonly [string, string];
}

/** Returns the starter test's source. */
export function starterTestSource(t: StarterTest): string {
  const prefix = t.journeyId
    .split('-')
    .map((word) => word.charAt(0))
    .join('');
  const subjectOf = `${t.subjectType}Of`;
  const [first, second] = t.stepIds;
  const exit = t.exitEvent
    ? `
  // Held in the wait before the ${second}, never released: the exit event must end the run by itself.
  const held = stack.engine.pauseAt('${t.secondWait}', runsOf(finisher));
  await startRuns(stack, '${t.journeyId}', customers, ${subjectOf});
  await held.reached(executionOf(finisher));
  const exited = await callApi(stack, 'POST', \`/customers/\${finisher.id}/events\`, {
    type: '${t.exitEvent}',
    subjectId: ${subjectOf}(finisher).id,
  });
  expect(exited.status).toBe(202);
  expect(exited.body.endedRuns).toBe(1);`
    : `
  await startRuns(stack, '${t.journeyId}', customers, ${subjectOf});`;
  const exitTest = t.exitEvent
    ? `

  it('ends the run at once on ${t.exitEvent} mid-wait: no ${second}', async () => {
    expect(executionOf(finisher).status).toBe('ABORTED');
    expect(sentSteps(finisher)).toEqual(['${first}/email']);
    expect(await emailsTo(finisher)).toHaveLength(1);
  });`
    : '';
  return `/**
 * ${t.journeyId}, end to end on the local runtime (simulated time): a starting point written by
 * \`klantreis new journey\`. Make it say what the journey promises: who gets which message, when, on
 * which channel, and what ends the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import { callApi } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import ${t.subjectType} from '#subjects/${t.subjectType}.ts';
import { amsterdam, customerViews, runsOf, simulationStart, startE2eStack, startRuns } from '../fixtures/e2e.ts';

const reader: CustomerProfile = {
  ...amsterdam,
  id: '${prefix}-reader',
  name: { given: 'Lotte' },
  email: 'lotte@example.nl',
};
const finisher: CustomerProfile = {
  ...amsterdam,
  id: '${prefix}-finisher',
  name: { given: 'Emma' },
  locale: 'en-GB',
  email: 'emma@example.com',
};
const customers = [reader, finisher];

/** Each customer's ${t.subjectType}: the subject module's sample. */
const ${subjectOf} = (customer: CustomerProfile) => ${t.subjectType}.sample({ id: customer.id, now: simulationStart });

let stack: LocalStack;
const { readTimelines, sentSteps, executionOf, emailsTo } = customerViews(() => stack);

beforeAll(async () => {
  stack = await startE2eStack();${exit}
  await stack.engine.whenIdle();
  await readTimelines(customers);
});

afterAll(async () => {
  await stack?.stop();
});

describe('${t.journeyId}, end to end on the local runtime', () => {
  it('sends the ${first} and the ${second} by email to the customer who does nothing', async () => {
    expect(executionOf(reader).status).toBe('SUCCEEDED');
    expect(sentSteps(reader)).toEqual(['${first}/email', '${second}/email']);
    expect(await emailsTo(reader)).toHaveLength(2);
  });${exitTest}
});
`;
}
