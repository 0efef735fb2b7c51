/**
 * GDPR erasure against journeys in flight, end to end on the local runtime: a customer with three
 * running journeys (two emails and an SMS about to go out) is erased while each step sits between
 * its claim and its provider call, and each step is let go on to the provider exactly as its run is
 * stopped, inside the erasure call. Nothing may reach SES or the SMS outbox once the erasure record
 * is written; what a step writes after the deletion is removed by the second pass, which runs by
 * itself when simulated time reaches its schedule.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '#core/customer.ts';
import type { EmailSender, IdempotencyRepository, JourneyExecutions, SmsSender } from '#core/ports.ts';
import { callApi, demoAccount, demoAppointment, demoInvoice, seedCustomers } from '#infra/local/demo.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { amsterdam, simulationStart, startE2eStack } from '../fixtures/e2e.ts';
import { sdkError } from '../fixtures/sdk-error.ts';

const racer: CustomerProfile = {
  ...amsterdam,
  id: 'erase-racer',
  name: { given: 'Ilse', family: 'Verhoeven' },
  email: 'ilse.verhoeven@example.nl',
  phone: '+31612345690',
};

const MINUTE = 60_000;

/**
 * Holds the racer's send claims, per run, until the erasure stops that run; then lets the step go on
 * and waits until it has settled its claim (recorded a result or released it).
 */
class ClaimGate {
  readonly #held = new Map<
    string,
    { open: () => void; opened: Promise<void>; settled: Promise<void>; settle: () => void }
  >();

  #entry(runId: string) {
    let entry = this.#held.get(runId);
    if (!entry) {
      const opened = Promise.withResolvers<void>();
      const settled = Promise.withResolvers<void>();
      entry = {
        open: opened.resolve,
        opened: opened.promise,
        settled: settled.promise,
        settle: settled.resolve,
      };
      this.#held.set(runId, entry);
    }
    return entry;
  }

  /** Told each time a run's claim is held. */
  readonly #onHeld = new Set<() => void>();

  /** Resolves once the claims of `count` runs are held: an event of the gate, not a real-time poll. */
  async untilHeld(count: number): Promise<void> {
    while (this.#held.size < count) {
      const next = Promise.withResolvers<void>();
      this.#onHeld.add(next.resolve);
      await next.promise;
      this.#onHeld.delete(next.resolve);
    }
  }

  /** The step's email for the appointment is refused and goes by SMS: only its SMS claim is held. */
  claims = (claims: IdempotencyRepository): IdempotencyRepository => ({
    claimSend: async (customerId, key, at) => {
      const [runId = '', stepId] = key.split('#');
      if (customerId === racer.id && stepId !== 'confirmation') {
        const entry = this.#entry(runId);
        for (const told of [...this.#onHeld]) told();
        await entry.opened;
      }
      return claims.claimSend(customerId, key, at);
    },
    completeSend: async (customerId, record) => {
      try {
        return await claims.completeSend(customerId, record);
      } finally {
        this.#held.get(record.key.split('#')[0] ?? '')?.settle();
      }
    },
    releaseSend: async (customerId, key, claimId) => {
      try {
        return await claims.releaseSend(customerId, key, claimId);
      } finally {
        this.#held.get(key.split('#')[0] ?? '')?.settle();
      }
    },
    settleUnanswered: (customerId, record, expected) => claims.settleUnanswered(customerId, record, expected),
    retakeSend: (customerId, key, attempt, at) => claims.retakeSend(customerId, key, attempt, at),
  });

  /** Stopping a run first lets its held step race on to the provider, and waits for it. */
  executions = (executions: JourneyExecutions): JourneyExecutions => ({
    describe: (arn) => executions.describe(arn),
    stop: async (arn, reason) => {
      const held = this.#held.get(arn.split(':').at(-1) ?? '');
      if (held) {
        held.open();
        await held.settled;
      }
      return executions.stop(arn, reason);
    },
  });
}

const gate = new ClaimGate();
let stack: LocalStack;
/** Every provider call for the racer, and whether the erasure record existed at that moment. */
const providerCalls: Array<{ channel: 'email' | 'sms'; erasedAlready: boolean }> = [];

const erasedAlready = () => stack.repository.isErased(racer.id);
const watchedEmail = (email: EmailSender): EmailSender => ({
  sendEmail: async (message) => {
    if (message.to !== racer.email) return email.sendEmail(message);
    providerCalls.push({ channel: 'email', erasedAlready: await erasedAlready() });
    // The appointment's email is refused for good: its message goes by SMS.
    if (message.tags.journey === 'appointment') throw sdkError('MessageRejected', 400);
    return email.sendEmail(message);
  },
});
const watchedSms = (sms: SmsSender): SmsSender => ({
  linksEvents: sms.linksEvents,
  providerName: sms.providerName,
  sendSms: async (message) => {
    if (message.to === racer.phone)
      providerCalls.push({ channel: 'sms', erasedAlready: await erasedAlready() });
    return sms.sendSms(message);
  },
});

async function partitionItems(): Promise<Array<Record<string, unknown>>> {
  const { Items = [] } = await stack.dynamoClient.send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `CUSTOMER#${racer.id}` } },
      ConsistentRead: true,
    }),
  );
  return Items;
}

let erasure: Awaited<ReturnType<typeof callApi>>;
let erasedAt: number;

beforeAll(async () => {
  stack = await startE2eStack({
    wrap: { idempotency: gate.claims, executions: gate.executions, email: watchedEmail, sms: watchedSms },
  });
  await seedCustomers(stack, [racer]);
  const starts = [
    { journeyId: 'payment-reminder', subject: demoInvoice(racer, 0, simulationStart) },
    { journeyId: 'onboarding', subject: demoAccount(racer) },
    { journeyId: 'appointment', subject: demoAppointment(racer, simulationStart, 7) },
  ];
  for (const { journeyId, subject } of starts) {
    const started = await callApi(stack, 'POST', `/journeys/${journeyId}/runs`, {
      customerId: racer.id,
      subject,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
  }
  // A claim of each of the racer's three runs is held.
  await gate.untilHeld(3);
  erasedAt = stack.clock.now().getTime();
  erasure = await callApi(stack, 'DELETE', `/customers/${racer.id}`);
  await stack.engine.whenIdle();
});

afterAll(async () => {
  await stack?.stop();
});

describe('erasure while three journeys are about to send', () => {
  it('ends the three runs and answers when the second pass comes', () => {
    expect(erasure.status, JSON.stringify(erasure.body)).toBe(200);
    expect(erasure.body).toMatchObject({ customerId: racer.id, stoppedRuns: 3, suppressedAddresses: 2 });
    const secondPassAt = Date.parse(String(erasure.body.secondPassAt));
    expect(secondPassAt - erasedAt).toBeGreaterThanOrEqual(15 * MINUTE);
    // Each step found the erasure record and ended its run ("customer erased") as it was being stopped.
    const runs = stack.engine.listExecutions().filter((e) => JSON.parse(e.input).customerId === racer.id);
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run.status).not.toBe('RUNNING');
      expect(run.statesEntered.at(-1)).toBe('Done');
    }
  });

  it('sends nothing once the erasure record is written: no email and no SMS reaches a provider', async () => {
    // The appointment's refused email was tried before the erasure began; nothing after it.
    expect(providerCalls.filter((call) => call.erasedAlready)).toEqual([]);
    expect(providerCalls).toEqual([{ channel: 'email', erasedAlready: false }]);
    expect((await stack.ses.listEmails()).filter((e) => e.to.includes(racer.email as string))).toEqual([]);
    expect(stack.sms.messages().filter((m) => m.phoneNumber === racer.phone)).toEqual([]);
  });

  it('keeps no claim of the stopped steps: each let go of it when it found the erasure', async () => {
    expect(await partitionItems()).toEqual([]);
  });

  it('ends a run started after the erasure without a message: the claim is refused', async () => {
    // An integrating system that has not heard of the erasure puts the customer back and starts a journey.
    const { id: _id, ...profile } = racer;
    expect((await callApi(stack, 'PUT', `/customers/${racer.id}`, profile)).status).toBe(201);
    const late = await callApi(stack, 'POST', '/journeys/onboarding/runs', {
      customerId: racer.id,
      subject: { ...demoAccount(racer), id: 'ACC-late' },
    });
    expect(late.status).toBe(201);
    await stack.engine.whenIdle();
    const run = stack.engine.describeExecution(String(late.body.executionArn));
    expect(run?.statesEntered).toContain('Welcome');
    expect(run?.statesEntered.at(-1)).toBe('Done');
    expect(providerCalls.filter((call) => call.erasedAlready)).toEqual([]);
    expect((await partitionItems()).length).toBeGreaterThan(0);
  });

  it('removes what was written after the erasure by itself when simulated time reaches the second pass', async () => {
    const lateWrites = (await partitionItems()).length;
    expect(stack.erasurePasses.pending()).toHaveLength(1);
    await stack.advanceTime(15 * MINUTE);
    // Not due yet: nothing ran, the late writes are still there.
    expect(stack.erasurePasses.runs).toEqual([]);
    expect(await partitionItems()).toHaveLength(lateWrites);

    await stack.advanceTime(MINUTE);
    expect(stack.erasurePasses.pending()).toEqual([]);
    expect(stack.erasurePasses.runs).toEqual([
      expect.objectContaining({
        outcome: 'succeeded',
        result: { removedItems: lateWrites, stoppedRuns: 0, recorded: true },
      }),
    ]);
    expect(await partitionItems()).toEqual([]);
    const record = await stack.repository.getErasure(racer.id);
    expect(record).toEqual({
      erasedAt: expect.any(String),
      secondPassAt: erasure.body.secondPassAt,
      secondPass: { ranAt: expect.any(String), removedItems: lateWrites, stoppedRuns: 0 },
    });
    expect(Date.parse(record?.erasedAt ?? '')).toBeGreaterThanOrEqual(erasedAt);
    expect(Date.parse(record?.secondPass?.ranAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(String(erasure.body.secondPassAt)),
    );
  });
});
