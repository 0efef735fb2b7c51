import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from '../adapters/powertools.ts';

/**
 * Emits one count with its own dimensions (an EMF document of its own), so per-channel and
 * per-reason counts do not add dimensions to the handler's other metrics. Dimension values must
 * be fixed phrases: channels, journey and step ids, decision reasons — never personal data.
 */
export function countWith(name: string, dimensions: Record<string, string>, value = 1): void {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions))
    single.addDimension(key, dimension.slice(0, 250));
  single.addMetric(name, MetricUnit.Count, value);
}

/** Returns the `<channel> dropped: <why>` reasons of a channel decision as (channel, why) pairs. */
export function droppedChannels(reasons: readonly string[]): Array<{ channel: string; why: string }> {
  return reasons.flatMap((reason) => {
    const match = /^(\w+) dropped: (.+)$/.exec(reason);
    return match?.[1] && match[2] ? [{ channel: match[1], why: match[2] }] : [];
  });
}
