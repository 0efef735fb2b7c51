/** The EventBridge Scheduler client: created once per container on first use, traced. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { tracer } from '#shared/powertools.ts';

let scheduler: SchedulerClient | undefined;

/** Returns the process-wide EventBridge Scheduler client. */
export function schedulerClient(): SchedulerClient {
  scheduler ??= tracer.captureAWSv3Client(new SchedulerClient({}));
  return scheduler;
}
