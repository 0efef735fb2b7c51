/**
 * The open invoices due in a window, as the scheduled batch finds them: one Query of gsi1 per month
 * (`INVOICE-DUE#<yyyy-mm>`, the due date first in the sort key), paged with a cursor of its own. The
 * subject items carry the index key while open (`subjects.ts`).
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { tableDesign } from '#catalog/table-design.ts';
import type { DueSubjectQuery, DueSubjectRef } from '#core/ports.ts';
import type { DynamoRepositoryOptions } from './stage-table.ts';
import { parseItem } from './table-items.ts';
import { dueInvoiceRanges } from './table-keys.ts';

const DueSubjectItemSchema = z.object({
  customerId: z.string().check(z.minLength(1)),
  subjectId: z.string().check(z.minLength(1)),
  invoice: z.object({ dueDate: z.string() }),
});

/** Where `listDueSubjects` resumes: the month range and DynamoDB's own start key in it. */
const DueCursorSchema = z.object({
  range: z.number().check(z.int(), z.gte(0)),
  key: z.optional(z.record(z.string(), z.unknown())),
});

export class DynamoDueSubjects implements DueSubjectQuery {
  readonly #doc: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string, _options: DynamoRepositoryOptions = {}) {
    this.#doc = doc;
    this.#tableName = tableName;
  }

  /** Reads through gsi1 (eventually consistent): callers re-read the subject before acting on it. */
  async listDueSubjects(
    fromDate: string,
    toDate: string,
    page: { limit: number; next?: string },
  ): Promise<{ items: DueSubjectRef[]; next?: string }> {
    const ranges = dueInvoiceRanges(fromDate, toDate);
    const cursor = page.next
      ? DueCursorSchema.parse(JSON.parse(Buffer.from(page.next, 'base64url').toString('utf8')))
      : { range: 0 };
    const items: DueSubjectRef[] = [];
    let rangeIndex = cursor.range;
    let startKey = cursor.key;
    while (rangeIndex < ranges.length && items.length < page.limit) {
      const range = ranges[rangeIndex] as (typeof ranges)[number];
      const result = await this.#doc.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: tableDesign.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': range.gsi1pk, ':from': range.from, ':to': range.to },
          ProjectionExpression: 'customerId, subjectId, invoice.dueDate',
          Limit: page.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        const parsed = parseItem(DueSubjectItemSchema, item, 'due subject');
        items.push({
          customerId: parsed.customerId,
          subjectId: parsed.subjectId,
          dueDate: parsed.invoice.dueDate,
        });
      }
      startKey = result.LastEvaluatedKey;
      if (!startKey) rangeIndex += 1;
    }
    if (rangeIndex >= ranges.length) return { items };
    const next = Buffer.from(JSON.stringify({ range: rangeIndex, key: startKey }), 'utf8').toString(
      'base64url',
    );
    return { items, next };
  }
}
