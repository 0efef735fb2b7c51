/**
 * The subjects journeys are about (an invoice) in the stage table: the item the journey's goal check
 * reads; an open invoice's item also carries its due date in gsi1, which `due-subjects.ts` pages through.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerRepository, SubjectState } from '#core/ports.ts';
import { storedInvoiceOf } from '#subjects/invoice.ts';
import { subjects } from '#subjects/registry.ts';
import { type DynamoRepositoryOptions, Entity, StageTable } from './stage-table.ts';
import { parseItem } from './table-items.ts';
import { dueInvoiceIndexKey, subjectKey } from './table-keys.ts';

/**
 * The subject item as stored (zod strips the key attributes on parse); the export
 * (`personal-data.ts`) reads it too.
 */
export const SubjectItemSchema = subjects.stateSchema;

export class DynamoSubjects implements Pick<CustomerRepository, 'getSubject' | 'putSubject'> {
  readonly #table: StageTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoRepositoryOptions = {}) {
    this.#table = new StageTable(doc, tableName, options.clock);
  }

  async getSubject(customerId: string, subjectId: string): Promise<SubjectState | undefined> {
    const item = await this.#table.get(subjectKey(customerId, subjectId));
    return item && parseItem(SubjectItemSchema, item, 'subject');
  }

  async putSubject(subject: SubjectState): Promise<void> {
    // `status` stays a top-level string: the journey's goal check reads it straight from the ASL.
    const due = subject.status === 'open' ? storedInvoiceOf(subject)?.dueDate : undefined;
    await this.#table.put({
      ...subjectKey(subject.customerId, subject.subjectId),
      ...(due ? dueInvoiceIndexKey(due, subject.customerId, subject.subjectId) : {}),
      entity: Entity.subject,
      ...subject,
    });
  }
}
