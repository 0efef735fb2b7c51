/**
 * The customers' profiles in the stage table: read, written (with the email index beside them),
 * updated without losing a write made in between. The profile item carries its phone number in gsi1,
 * where `phone-lookup.ts` finds the customers of an inbound SMS.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type CustomerProfile, CustomerProfileSchema } from '#core/customer.ts';
import type { CustomerRepository } from '#core/ports.ts';
import { Entity, StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, parseItem, type StoredItem } from './table-items.ts';
import { emailIndexItemKey, emailIndexKey, phoneIndexKey, profileKey } from './table-keys.ts';

/**
 * The profile item as stored (zod strips the key attributes on parse); the export
 * (`personal-data.ts`) reads it too.
 */
export const ProfileItemSchema = z.object({ profile: CustomerProfileSchema });

/** Guarded profile writes retry this often when other writes keep coming first. */
const PROFILE_WRITE_ATTEMPTS = 5;

/** The profile item: the profile, its phone number in gsi1 (replies find the customer), when it was written. */
export function profileItem(customer: CustomerProfile, at: Date): StoredItem {
  return {
    ...profileKey(customer.id),
    ...(customer.phone ? phoneIndexKey(customer.phone, customer.id) : {}),
    entity: Entity.profile,
    profile: customer,
    updatedAt: at.toISOString(),
  };
}

export class DynamoCustomers
  extends StageTableRepository
  implements Pick<CustomerRepository, 'getCustomer' | 'putCustomer' | 'updateCustomer'>
{
  async getCustomer(customerId: string): Promise<CustomerProfile | undefined> {
    const item = await this.table.get(profileKey(customerId));
    return item && parseItem(ProfileItemSchema, item, 'profile').profile;
  }

  async putCustomer(customer: CustomerProfile, at: Date): Promise<void> {
    await this.table.put(profileItem(customer, at));
    await this.#indexEmail(customer);
  }

  async updateCustomer(
    customerId: string,
    change: (stored: CustomerProfile | undefined) => CustomerProfile | undefined,
    at: Date,
  ): Promise<{ profile: CustomerProfile | undefined; created: boolean }> {
    // Guarded like `recordConsents` (`consents.ts`): the write only lands if the profile is still the one read.
    for (let attempt = 1; ; attempt += 1) {
      const item = await this.table.get(profileKey(customerId));
      const stored = item && parseItem(ProfileItemSchema, item, 'profile').profile;
      const updated = change(stored);
      if (!updated) return { profile: stored, created: false };
      if (updated.id !== customerId) throw new Error('updateCustomer: the profile must keep its id');
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: definedOnly(profileItem(updated, at)),
            ...(item
              ? {
                  ConditionExpression: 'updatedAt = :seen',
                  ExpressionAttributeValues: { ':seen': item.updatedAt },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        if (updated.email !== stored?.email) await this.#indexEmail(updated);
        return { profile: updated, created: !item };
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= PROFILE_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  /** The email address's index item, or its removal from the index when the profile has none. */
  async #indexEmail(customer: CustomerProfile): Promise<void> {
    if (customer.email) {
      await this.table.put({
        ...emailIndexItemKey(customer.id),
        ...emailIndexKey(customer.email, customer.id),
        entity: Entity.emailIndex,
        customerId: customer.id,
      });
      return;
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: emailIndexItemKey(customer.id),
          UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
