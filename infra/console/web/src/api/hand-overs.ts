import type { HandOverOutcome, HandOverRecord, HandOverStatus } from '#core/hand-over-desk.ts';
import type { ApiClient } from './api-client.ts';
import { segment } from './api-client.ts';

export type { HandOverOutcome, HandOverRecord };

export interface HandOverPage {
  items: HandOverRecord[];
  next?: string;
}

/** The inbox's page of one status (and reason), at most `limit` (the API allows 100). */
export const handOversPath = (
  status: HandOverStatus,
  reason?: string,
  cursor?: string,
  limit?: number,
): string => {
  const query = new URLSearchParams({ status });
  if (reason) query.set('reason', reason);
  if (limit) query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  return `/hand-overs?${query.toString()}`;
};

export const takeHandOver = (api: ApiClient, handOverId: string) =>
  api.send<HandOverRecord>('POST', `/hand-overs/${segment(handOverId)}/take`);

export const closeHandOver = (api: ApiClient, handOverId: string, body: unknown) =>
  api.send<HandOverRecord>('POST', `/hand-overs/${segment(handOverId)}/close`, body);
