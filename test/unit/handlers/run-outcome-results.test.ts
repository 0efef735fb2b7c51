/**
 * A run's outcome, recorded where the run ends: an exit event reaches its goal (counted for the run's
 * last message before the event), its execution ends without one (completed without the goal); the
 * first outcome stays, and each is counted once however often its event comes.
 */
import { describe, expect, it } from 'vitest';
import type { JourneyExecutions } from '#core/ports.ts';
import { makeHandler as recordEvent } from '#handlers/record-event.ts';
import { makeHandler as recordRunStatus } from '#handlers/record-run-status.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { InMemoryResults } from '../../fixtures/in-memory-results.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';
import { EXECUTION, STATE_MACHINE } from '../../fixtures/run-status.ts';

const startedAt = '2026-12-01T09:00:00.000Z';

function setup() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL' });
  repository.runs.set('run-1', {
    runId: 'run-1',
    journeyId: 'payment-reminder',
    customerId: 'c-1',
    subjectId: 'INV-1',
    executionArn: EXECUTION,
    status: 'running',
    startedAt,
  });
  const results = new InMemoryResults();
  results.addRun({ customerId: 'c-1', runId: 'run-1', journeyId: 'payment-reminder', startedAt });
  const running = new Set([EXECUTION]);
  const executions: JourneyExecutions = {
    describe: async (arn) => ({ status: running.has(arn) ? 'RUNNING' : 'ABORTED' }),
    stop: async (arn) => {
      running.delete(arn);
    },
  };
  const event = recordEvent({
    customers: repository,
    timeline: repository,
    runs: repository,
    executions,
    clock: fixedClock('2026-12-05T10:00:00Z'),
    results,
  });
  const status = recordRunStatus({ runs: repository, results });
  return {
    results,
    pay: (occurredAt: string) =>
      event(
        httpEvent({
          pathParameters: { customerId: 'c-1' },
          body: { type: 'invoice.paid', subjectId: 'INV-1', occurredAt },
        }),
        lambdaContext,
      ),
    ended: (stopDate: string, executionStatus = 'SUCCEEDED') =>
      status(
        {
          source: 'aws.states',
          'detail-type': 'Step Functions Execution Status Change',
          detail: {
            executionArn: EXECUTION,
            stateMachineArn: STATE_MACHINE,
            name: 'run-1',
            status: executionStatus,
            stopDate: Date.parse(stopDate),
            input: JSON.stringify({ customerId: 'c-1' }),
          },
        },
        lambdaContext,
      ),
  };
}

const message = (stepId: string, at: string) =>
  ({ stepId, channel: 'email', variant: 'friendly', locale: 'nl', at }) as const;

describe('run outcomes in the results', () => {
  it('counts an exit event’s goal for the run’s last message before it, once, and keeps it as the run’s outcome', async () => {
    const { results, pay, ended } = setup();
    await results.noteRunResults('c-1', 'run-1', {
      segment: 'default',
      experimentId: 'first-reminder-text',
      arm: 'b',
      message: message('first-reminder', '2026-12-01T10:00:00.000Z'),
    });
    expect((await pay('2026-12-04T12:00:00.000Z')).statusCode).toBe(202);
    expect(results.eventsOf('goalReached')).toEqual([
      expect.objectContaining({
        eventId: 'goalReached:run-1',
        goalEvent: 'invoice.paid',
        goalDays: 3,
        dims: expect.objectContaining({
          stepId: 'first-reminder',
          channel: 'email',
          segment: 'default',
          arm: 'b',
          day: '2026-12-04',
        }),
      }),
    ]);
    // The stop's own end finds the outcome taken: nothing more is counted.
    await ended('2026-12-05T10:00:00.000Z', 'ABORTED');
    expect(results.events.map((e) => e.kind)).toEqual(['goalReached']);
    expect((await results.getRunResults('c-1', 'run-1'))?.outcome).toMatchObject({
      kind: 'goal-reached',
      goalEvent: 'invoice.paid',
      daysToGoal: 3,
      lastMessage: { stepId: 'first-reminder' },
    });
  });

  it('counts a run that ended without its goal once, for its last message', async () => {
    const { results, ended } = setup();
    await results.noteRunResults('c-1', 'run-1', {
      message: message('first-reminder', '2026-12-01T10:00:00Z'),
    });
    await results.noteRunResults('c-1', 'run-1', {
      message: message('final-notice', '2026-12-15T10:00:00Z'),
    });
    // A late note of an earlier message does not replace the later one.
    await results.noteRunResults('c-1', 'run-1', {
      message: message('second-reminder', '2026-12-08T10:00:00Z'),
    });
    await ended('2026-12-20T10:00:00.000Z');
    await ended('2026-12-20T10:00:00.000Z');
    expect(results.eventsOf('completedWithoutGoal')).toEqual([
      expect.objectContaining({
        reason: 'completed',
        dims: expect.objectContaining({ stepId: 'final-notice', channel: 'email' }),
      }),
    ]);
  });

  it('never fails the event when the results cannot be recorded', async () => {
    const { results, pay } = setup();
    results.failWith = Object.assign(new Error('down'), { name: 'InternalServerError' });
    expect((await pay('2026-12-04T12:00:00.000Z')).statusCode).toBe(202);
    expect(results.events).toEqual([]);
  });
});
