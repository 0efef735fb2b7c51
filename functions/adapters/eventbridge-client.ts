/** The EventBridge client: created once per container on first use, traced, endpoint from the environment. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint } from './client-config.ts';

/** Returns a new traced EventBridge client. */
export function createEventBridgeClient(options: ClientOptions = {}): EventBridgeClient {
  return tracer.captureAWSv3Client(new EventBridgeClient(clientConfig(options)));
}

let events: EventBridgeClient | undefined;

/** Returns the process-wide EventBridge client (endpoint from `KLANTREIS_EVENTS_ENDPOINT`). */
export function eventBridgeClient(): EventBridgeClient {
  events ??= createEventBridgeClient({ endpoint: envEndpoint('events') });
  return events;
}
