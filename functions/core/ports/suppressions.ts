/** The suppression list: addresses no message may go to (bounces, complaints, opt-outs). */
import type { Channel } from '../customer.ts';

export interface SuppressionRepository {
  isSuppressed(channel: Channel, address: string): Promise<boolean>;
  suppress(channel: Channel, address: string, reason: string, at: Date): Promise<void>;
}
