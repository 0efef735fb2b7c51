/**
 * A customer's consent records, appended to their profile item in the stage table: a read-modify-write
 * guarded by the profile's `updatedAt`, so a concurrent profile write makes it read again rather than
 * overwrite it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Consent } from '#core/customer.ts';
import type { ConsentRepository } from '#core/ports.ts';
import { ProfileItemSchema, profileItem } from './customers.ts';
import { StageTableRepository } from './stage-table.ts';
import { definedOnly, isConditionalCheckFailed, parseItem } from './table-items.ts';
import { profileKey } from './table-keys.ts';

/** A profile item keeps at most this many consent records (the profile schema's limit). */
const MAX_CONSENTS = 100;

const CONSENT_WRITE_ATTEMPTS = 3;

export class DynamoConsents extends StageTableRepository implements ConsentRepository {
  async recordConsents(customerId: string, consents: Consent[], at: Date): Promise<boolean> {
    // Read-modify-write guarded by `updatedAt`: a concurrent profile upsert makes us read again
    // rather than overwrite it.
    for (let attempt = 1; ; attempt += 1) {
      const item = await this.table.get(profileKey(customerId));
      if (!item) return false;
      const { profile } = parseItem(ProfileItemSchema, item, 'profile');
      const existing = profile.consents ?? [];
      // A redelivered event records nothing new.
      const fresh = consents.filter(
        (c) =>
          !existing.some(
            (e) =>
              e.channel === c.channel &&
              e.purpose === c.purpose &&
              e.granted === c.granted &&
              e.at === c.at &&
              e.source === c.source,
          ),
      );
      if (fresh.length === 0) return true;
      const updated = { ...profile, consents: [...existing, ...fresh].slice(-MAX_CONSENTS) };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: definedOnly(profileItem(updated, at)),
            ConditionExpression: 'updatedAt = :seen',
            ExpressionAttributeValues: { ':seen': item.updatedAt },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= CONSENT_WRITE_ATTEMPTS) throw error;
      }
    }
  }
}
