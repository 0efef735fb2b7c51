/**
 * The scheduled batch over several pages of due invoices, on the local runtime with a page of two:
 * each select adds the previous page's batch results to the totals, so every page is counted once
 * and the summary (the execution's output) is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoInvoice, recordInvoice, seedCustomers } from '#infra/local/demo.ts';
import { demoCustomers } from '#infra/local/demo-customers.ts';
import type { LocalStack } from '#infra/local/runtime.ts';
import { dueDateSelectedAt, simulationStart, startE2eStack } from '../fixtures/e2e.ts';

const customers = demoCustomers.slice(0, 5);
const day = 86_400_000;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startE2eStack({
    duePageSize: 2,
  });
  await seedCustomers(stack, customers);
});

afterAll(async () => {
  await stack?.stop();
});

/** Records a due invoice for each customer, due so that today's schedule selects it. */
async function recordDueInvoices(from: number, to: number) {
  const dueDate = dueDateSelectedAt(stack, simulationStart);
  for (const [i, customer] of customers.entries()) {
    if (i < from || i >= to) continue;
    const invoice = { ...demoInvoice(customer, i, simulationStart), dueDate };
    expect((await recordInvoice(stack, customer.id, invoice)).status).toBe(202);
  }
}

describe('scheduled batch over several pages', () => {
  it('counts every page once: three pages of two, then a select that only adds the last results', async () => {
    await recordDueInvoices(0, 5);
    const batch = await stack.fireSchedule('payment-reminder');
    expect(batch.status, batch.cause).toBe('SUCCEEDED');
    expect(JSON.parse(batch.output ?? '{}')).toEqual({
      pages: 3,
      selected: 5,
      started: 5,
      alreadyStarted: 0,
      skipped: {},
    });
    // Select → Choice → Map per page, and one more select and choice to add the last page's results.
    const outer = batch.statesEntered.filter((s) => s !== 'StartRunsOfBatch');
    expect(outer).toEqual([
      'PrepareBatch',
      ...Array.from({ length: 3 }, () => [
        'SelectDueInvoices',
        'AreMoreInvoicesDue',
        'StartJourneyRuns',
      ]).flat(),
      'SelectDueInvoices',
      'AreMoreInvoicesDue',
      'BatchDone',
    ]);
    await stack.engine.whenIdle();
  });

  it('adds already-started and skipped counts by reason across pages on re-runs', async () => {
    const again = await stack.fireSchedule(
      'payment-reminder',
      new Date(simulationStart.getTime() + 3_600_000),
    );
    expect(JSON.parse(again.output ?? '{}')).toEqual({
      pages: 3,
      selected: 5,
      started: 0,
      alreadyStarted: 5,
      skipped: {},
    });
    const nextDay = await stack.fireSchedule('payment-reminder', new Date(simulationStart.getTime() + day));
    expect(JSON.parse(nextDay.output ?? '{}')).toEqual({
      pages: 3,
      selected: 5,
      started: 0,
      alreadyStarted: 0,
      skipped: { 'journey already started for this invoice on an earlier day': 5 },
    });
    await stack.engine.whenIdle();
    const runs = stack.engine
      .listExecutions()
      .filter((e) => e.stateMachineArn === stack.journeyArns['payment-reminder']);
    expect(runs).toHaveLength(5);
  });
});
