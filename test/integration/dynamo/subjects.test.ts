import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDueSubjects } from '#adapters/dynamo/due-subjects.ts';
import { DynamoSubjects } from '#adapters/dynamo/subjects.ts';
import { storedInvoiceOf } from '#subjects/invoice.ts';
import { subjects } from '#subjects/registry.ts';
import { startTestTable, type TestTable } from '../../fixtures/dynamo-table.ts';

const TABLE = 'klantreis-test';

let table: TestTable;
let repo: DynamoSubjects;
let due: DynamoDueSubjects;
const now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  table = await startTestTable(TABLE);
  repo = new DynamoSubjects(table.doc, TABLE);
  due = new DynamoDueSubjects(table.doc, TABLE);
});

afterAll(async () => {
  await table?.stop();
});

describe('DynamoSubjects against dynalite', () => {
  it('stores the subject where the journey step’s goal check reads it', async () => {
    await repo.putSubject({
      customerId: 'c-1001',
      subjectId: 'INV-2026-001',
      status: 'paid',
      updatedAt: now.toISOString(),
    });
    const invoice = {
      type: 'invoice' as const,
      id: 'INV-2026-001',
      amount: '10.00',
      currency: 'EUR',
      dueDate: '2026-12-01',
      payUrl: 'https://pay.example.com/INV-2026-001',
    };
    expect(subjects.goalReachedReason(invoice, await repo.getSubject('c-1001', 'INV-2026-001'))).toBe(
      'goal reached: invoice paid',
    );
    expect(await repo.getSubject('c-1001', 'INV-unknown')).toBeUndefined();
  });
});

describe('due-invoice index', () => {
  const invoice = (id: string, dueDate: string) => ({
    type: 'invoice' as const,
    id,
    amount: '10.00',
    currency: 'EUR',
    dueDate,
    payUrl: `https://pay.example.com/${id}`,
  });
  const open = (customerId: string, id: string, dueDate: string) =>
    repo.putSubject({
      customerId,
      subjectId: id,
      status: 'open',
      updatedAt: now.toISOString(),
      invoice: invoice(id, dueDate),
    });

  it('finds open invoices due in a window across months, page by page, and drops paid ones', async () => {
    await open('due-1', 'INV-A', '2026-02-27');
    await open('due-2', 'INV-B', '2026-03-01');
    await open('due-3', 'INV-C', '2026-03-02');
    await open('due-4', 'INV-D', '2026-03-04'); // after the window
    await open('due-5', 'INV-E', '2026-02-20'); // before the window
    await open('due-6', 'INV-F', '2026-03-01');
    await repo.putSubject({
      customerId: 'due-6',
      subjectId: 'INV-F',
      status: 'paid',
      updatedAt: now.toISOString(),
    });

    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await due.listDueSubjects('2026-02-26', '2026-03-02', {
        limit: 2,
        ...(next ? { next } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => `${i.customerId}/${i.subjectId}/${i.dueDate}`));
      next = page.next;
      pages += 1;
    } while (next && pages < 10);
    expect(seen).toEqual(['due-1/INV-A/2026-02-27', 'due-2/INV-B/2026-03-01', 'due-3/INV-C/2026-03-02']);
    expect(storedInvoiceOf(await repo.getSubject('due-1', 'INV-A'))?.payUrl).toBe(
      'https://pay.example.com/INV-A',
    );
  });
});
