/**
 * What the parts of a step visit report for its results (`step-results.ts` records them): the
 * step's ports (`deps.ts`) carry the sink, so these types stand apart from both.
 */
import type { Channel } from '#core/customer.ts';

/** An experiment arm as the decision and the run's progress carry it. */
export interface ExperimentArm {
  id: string;
  arm: string;
}

/** What the parts of a step visit report for its results. */
export type StepFact =
  | {
      type: 'decision';
      stepId: string;
      channel: Channel | null;
      variant: string;
      locale: string;
      /** The skip code when it sends nothing. */
      skipped: string | null;
      segment: string;
      experiment?: ExperimentArm;
      costUsd: number | null;
      at: string;
    }
  | { type: 'skipped'; stepId: string; reason: string; segment: string; at: string }
  | { type: 'customer'; country: string }
  | { type: 'hand-over'; reason: 'unreachable' | 'no-reaction' | 'failed'; at: string }
  | { type: 'goal'; at: string };

export type DecisionFact = Extract<StepFact, { type: 'decision' }>;

export interface StepFactSink {
  push(fact: StepFact): void;
  /**
   * The step's decision, before it sends: an experiment arm the run does not carry yet is kept on the
   * run item now, with the segment, so a goal reached while the message goes out counts in that arm.
   */
  decided(fact: DecisionFact): Promise<void>;
}
