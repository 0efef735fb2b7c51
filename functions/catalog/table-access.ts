/**
 * What a handler may do with the table, as IAM actions. One list, read by the CDK grants
 * (`NodeFunction.grantTable`) and by the local runtime, which refuses a handler's DynamoDB call
 * its catalog entry does not allow, so a missing grant fails the end-to-end tests rather than a
 * deployed stage.
 */
import type { tableDesign } from './table-design.ts';

/**
 * - `update`: item updates only (a handler that changes known items and reads nothing).
 * - `read`: item reads and Queries (no Scan: every access pattern is a key or a Query).
 * - `readWrite`: and puts and updates, never a delete.
 * - `readWriteDelete`: and single-item deletes (the send step releasing its own claim).
 * - `readWriteErase`: and batch writes, which can delete (GDPR erasure of a whole partition).
 */
export type TableAccess = 'none' | 'update' | 'read' | 'readWrite' | 'readWriteDelete' | 'readWriteErase';

/** The table's secondary indexes, granted by name to the handlers that query them. */
export type TableIndexName = typeof tableDesign.gsi1.indexName;

const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

/** Returns the IAM actions of an access level, on the table (and the indexes it is granted). */
export function tableActionsOf(access: TableAccess): string[] {
  switch (access) {
    case 'none':
      return [];
    case 'update':
      return ['dynamodb:UpdateItem'];
    case 'read':
      return [...READ];
    case 'readWrite':
      return [...READ, ...WRITE];
    case 'readWriteDelete':
      return [...READ, ...WRITE, 'dynamodb:DeleteItem'];
    case 'readWriteErase':
      return [...READ, ...WRITE, 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
  }
}
