/** The EventBridge Scheduler client: created once per container on first use, traced, endpoint from the environment. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint } from './client-config.ts';

/** Returns a new traced EventBridge Scheduler client. */
export function createSchedulerClient(options: ClientOptions = {}): SchedulerClient {
  return tracer.captureAWSv3Client(new SchedulerClient(clientConfig(options)));
}

let scheduler: SchedulerClient | undefined;

/** Returns the process-wide EventBridge Scheduler client (endpoint from `KLANTREIS_SCHEDULER_ENDPOINT`). */
export function schedulerClient(): SchedulerClient {
  scheduler ??= createSchedulerClient({ endpoint: envEndpoint('scheduler') });
  return scheduler;
}
