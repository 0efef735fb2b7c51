/**
 * A subject type declared in a module of its own (the tests' contract) works through the handlers and
 * the template data once it is in the registry they are given: nothing else knows about contracts.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionView, JourneyExecutions, JourneyRun } from '#core/ports.ts';
import { templateDataFor } from '#core/template-data.ts';
import * as recordEvent from '#handlers/record-event.ts';
import * as startJourney from '#handlers/start-journey.ts';
import { subjectModules } from '#subjects/all.ts';
import { SubjectRegistry } from '#subjects/registry.ts';
import contract from '../../fixtures/contract-subject.ts';
import { InMemoryRepository } from '../../fixtures/in-memory-repository.ts';
import { fixedClock, httpEvent, lambdaContext } from '../../fixtures/lambda.ts';

const registry = new SubjectRegistry([...subjectModules, contract]);
const clock = fixedClock('2026-12-01T09:00:00Z');
const aContract = {
  type: 'contract',
  id: 'CTR-7',
  endDate: '2027-03-31',
  renewUrl: 'https://portal.example.com/contracts/CTR-7/renew',
};
const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? '{}');

function repositoryWithCustomer() {
  const repository = new InMemoryRepository();
  repository.customers.set('c-1', { id: 'c-1', locale: 'nl-NL', country: 'NL', email: 'c1@example.nl' });
  return repository;
}

function starter(repository: InMemoryRepository) {
  const started: unknown[] = [];
  const handler = startJourney.makeHandler({
    customers: repository,
    runs: repository,
    timeline: repository,
    clock,
    journeys: { 'contract-renewal': 'arn:aws:states:eu-west-1:123456789012:stateMachine:contract-renewal' },
    newRunId: () => 'run-1',
    subjects: registry,
    starter: {
      async startJourney({ stateMachineArn, runId, input }) {
        started.push(typeof input === 'string' ? JSON.parse(input) : input);
        return { executionArn: `${stateMachineArn}:${runId}`, alreadyStarted: false };
      },
      async inputOf() {
        return undefined;
      },
    },
  });
  const post = (subject: unknown) =>
    handler(
      httpEvent({ pathParameters: { journeyId: 'contract-renewal' }, body: { customerId: 'c-1', subject } }),
      lambdaContext,
    );
  return { post, started };
}

function recorder(repository: InMemoryRepository, statuses: Record<string, ExecutionView['status']>) {
  const stopped: string[] = [];
  const executions: JourneyExecutions = {
    async describe(arn) {
      const status = statuses[arn];
      return status ? { status } : undefined;
    },
    async stop(arn) {
      statuses[arn] = 'ABORTED';
      stopped.push(arn);
    },
  };
  const handler = recordEvent.makeHandler({
    customers: repository,
    timeline: repository,
    runs: repository,
    executions,
    clock,
    subjects: registry,
  });
  const post = (body: unknown) =>
    handler(httpEvent({ pathParameters: { customerId: 'c-1' }, body }), lambdaContext);
  return { post, stopped };
}

describe('a contract subject, declared in its own module', () => {
  it('is started with its fields, strictly: a misspelt field or a far-off end date is a 400 naming it', async () => {
    const repository = repositoryWithCustomer();
    const { post, started } = starter(repository);
    expect((await post(aContract)).statusCode).toBe(201);
    expect(started).toEqual([expect.objectContaining({ subject: aContract })]);

    const misspelt = await post({ ...aContract, renewLink: aContract.renewUrl });
    expect(misspelt.statusCode).toBe(400);
    expect(JSON.stringify(bodyOf(misspelt))).toContain('renewLink');
    const farOff = await post({ ...aContract, endDate: '2099-01-01' });
    expect(farOff.statusCode).toBe(400);
    expect(bodyOf(farOff).issues).toEqual([expect.objectContaining({ path: 'subject.endDate' })]);
  });

  it('is not known to the default registry’s start', async () => {
    const handler = startJourney.makeHandler({
      customers: repositoryWithCustomer(),
      runs: new InMemoryRepository(),
      timeline: new InMemoryRepository(),
      clock,
      journeys: { 'contract-renewal': 'arn:aws:states:eu-west-1:123456789012:stateMachine:contract-renewal' },
      starter: {
        async startJourney() {
          throw new Error('not started');
        },
        async inputOf() {
          return undefined;
        },
      },
    });
    const result = await handler(
      httpEvent({
        pathParameters: { journeyId: 'contract-renewal' },
        body: { customerId: 'c-1', subject: aContract },
      }),
      lambdaContext,
    );
    expect(result.statusCode).toBe(400);
  });

  it('moves by its events: created with data, cancelled, and renewed ends its running journeys', async () => {
    const repository = repositoryWithCustomer();
    const run: JourneyRun = {
      runId: 'run-1',
      journeyId: 'contract-renewal',
      customerId: 'c-1',
      subjectId: 'CTR-7',
      executionArn: 'arn:exec:run-1',
      status: 'running',
      startedAt: '2026-12-01T08:00:00Z',
    };
    await repository.putRun(run);
    const { post, stopped } = recorder(repository, { 'arn:exec:run-1': 'RUNNING' });

    const created = await post({
      type: 'contract.created',
      subjectId: 'CTR-7',
      data: { endDate: '2027-03-31', renewUrl: aContract.renewUrl },
    });
    expect(created.statusCode).toBe(202);
    expect(await repository.getSubject('c-1', 'CTR-7')).toMatchObject({
      status: 'open',
      contractEndDate: '2027-03-31',
    });
    const badData = await post({ type: 'contract.created', subjectId: 'CTR-7', data: { endDate: 'soon' } });
    expect(bodyOf(badData).issues.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining(['data.endDate', 'data.renewUrl']),
    );
    expect((await post({ type: 'contract.cancelled' })).statusCode).toBe(400);

    const cancelled = await post({ type: 'contract.cancelled', subjectId: 'CTR-7' });
    expect(bodyOf(cancelled).endedRuns).toBe(0);
    expect(await repository.getSubject('c-1', 'CTR-7')).toMatchObject({ status: 'cancelled' });

    const renewed = await post({ type: 'contract.renewed', subjectId: 'CTR-7' });
    expect(bodyOf(renewed).endedRuns).toBe(1);
    expect(stopped).toEqual(['arn:exec:run-1']);
    const stored = await repository.getSubject('c-1', 'CTR-7');
    expect(stored).toMatchObject({ status: 'renewed' });
    expect(registry.goalReachedReason(aContract, stored)).toBe('goal reached: contract renewed');
  });

  it('gives templates the contract under its name and its renew link', () => {
    const data = templateDataFor({
      customer: { name: { given: 'Sanne', family: 'de Vries' } },
      subject: registry.templateSubjectOf(aContract),
      links: { portal: 'https://portal.example.com', unsubscribe: 'https://api.example.com/unsubscribe?t=1' },
    });
    expect(data.contract).toEqual({ endDate: '2027-03-31' });
    expect(data.links).toEqual({
      renew: aContract.renewUrl,
      portal: 'https://portal.example.com',
      unsubscribe: 'https://api.example.com/unsubscribe?t=1',
    });
  });
});
