/**
 * The table `npm start` prints: one row per journey run, read from `GET /runs/{runId}` (the run's
 * decisions, messages and milestones) and the customer's conversation — never from a journey's
 * state names or output, so it reads any journey the same way.
 */
import { DateTime } from 'luxon';
import { subjects } from '#subjects/registry.ts';
import type { ConversationEntry } from './demo.ts';

/** What `GET /runs/{runId}` answers, as far as the table reads it. */
export interface RunView {
  runId: string;
  journeyId: string;
  customerId: string;
  subjectId?: string;
  execution: { status: string; error?: string } | null;
  decisions: ConversationEntry[];
}

export interface DemoRow {
  customer: string;
  journey: string;
  segment: string;
  /** Channels messages went out on, in order of first use. */
  channels: string;
  /** `3: welcome, activation-reminder, tip` (steps with a message sent, `×2` for a fallback). */
  messages: string;
  /** The first message's send time on the customer's clock. */
  firstMessage: string;
  /** goal reached / cancelled / handed over / completed, with what caused it. */
  ended: string;
}

const SEGMENT_CHOSEN = /^tone \S+: segment (\S+)$/;
const SEGMENT_MATCHED = /^segment (\S+): (?!.*skipped)/;
const TIMEZONE = /^timezone (\S+):/;
const EXIT_EVENT = /\(([a-z]+\.[a-z]+)\)/;

/** Returns the segment the run's decisions name (the first decision with segmentation reasons), or `—`. */
export function segmentOf(decisions: readonly ConversationEntry[]): string {
  for (const entry of decisions) {
    const reasons = entry.reasons ?? [];
    for (const reason of reasons) {
      const chosen = SEGMENT_CHOSEN.exec(reason)?.[1];
      if (chosen) return chosen;
    }
    for (const reason of reasons) {
      const matched = SEGMENT_MATCHED.exec(reason)?.[1];
      if (matched && !reason.startsWith(`segment ${matched} skipped`)) return matched;
    }
  }
  return '—';
}

/** Returns the customer's timezone as the run's decisions name it. */
function timezoneOf(decisions: readonly ConversationEntry[]): string | undefined {
  for (const entry of decisions)
    for (const reason of entry.reasons ?? []) {
      const zone = TIMEZONE.exec(reason)?.[1];
      if (zone) return zone;
    }
  return undefined;
}

/** `Tue 1 Dec 10:32 Amsterdam`: an instant on the customer's clock. */
function localTime(at: string, zone: string | undefined): string {
  const local = DateTime.fromISO(at, { zone: zone ?? 'UTC' }).setLocale('en-GB');
  const place = (zone ?? 'UTC').split('/').at(-1)?.replaceAll('_', ' ') ?? '';
  return `${local.toFormat('ccc d LLL HH:mm')} ${place}`;
}

/** Returns how the run ended, from its execution status and its milestones in the conversation. */
function endingOf(run: RunView, subjectEvents: readonly string[]): string {
  const status = run.execution?.status ?? 'UNKNOWN';
  if (status === 'RUNNING') return 'running';
  const exit = run.decisions.find((e) => e.kind === 'journey' && e.outcome === 'goal-reached');
  if (exit) {
    const event = EXIT_EVENT.exec(exit.summary)?.[1] ?? 'exit event';
    return event.endsWith('.cancelled') ? `cancelled (${event})` : `goal reached (${event})`;
  }
  if (status === 'FAILED' || status === 'TIMED_OUT') return `failed: ${run.execution?.error ?? status}`;
  const handOvers = run.decisions
    .filter((e) => e.kind === 'journey' && e.outcome === 'escalated')
    .map((e) => /hand-over: (\S+)/.exec((e.reasons ?? []).join(' '))?.[1] ?? 'unknown');
  if (handOvers.length > 0) return `handed over (${handOvers.join(', ')})`;
  if (status === 'ABORTED') return `stopped: ${run.execution?.error ?? ''}`.trimEnd();
  // The journey's own goal check ended it (an exit event it saw before anyone stopped the run).
  const goal = subjectEvents.find((type) => subjects.event(type)?.event.exit);
  if (goal) return goal.endsWith('.cancelled') ? `cancelled (${goal})` : `goal reached (${goal})`;
  const changes = subjectEvents.map((type) => type.split('.').at(-1)).join(', ');
  return changes ? `completed (${changes})` : 'completed';
}

/**
 * Returns the row of one run. `conversation` is the customer's (any order): the events about the
 * run's subject that did not end it (a reschedule) are named beside "completed".
 */
export function summariseRun(run: RunView, conversation: readonly ConversationEntry[] = []): DemoRow {
  // In time order; a step's fallback after its step when both went in the same simulated instant (a bounce
  // fails the first reminder's callback Task at once, so its SMS goes at the email's time).
  const fallbackLast = (e: { stepId?: string }) => Number(e.stepId?.endsWith('-fallback') ?? false);
  const sent = run.decisions
    .filter((e) => e.kind === 'message' && e.outcome === 'sent')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || fallbackLast(a) - fallbackLast(b));
  const channels = [...new Set(sent.flatMap((e) => (e.channel ? [e.channel] : [])))];
  const steps = new Map<string, number>();
  for (const entry of sent) steps.set(entry.stepId ?? '?', (steps.get(entry.stepId ?? '?') ?? 0) + 1);
  const skipped = [
    ...new Set(
      run.decisions
        .filter((e) => e.outcome === 'skipped' && e.stepId && !steps.has(e.stepId))
        .map((e) => `${e.stepId} skipped`),
    ),
  ];
  const listed = [...steps].map(([step, count]) => (count > 1 ? `${step} ×${count}` : step));
  const subjectEvents = run.subjectId
    ? conversation
        .filter((e) => e.kind === 'event' && e.summary.endsWith(`(${run.subjectId})`))
        .map((e) => e.summary.split(' ')[0] ?? '')
        .filter((type) => type && !type.endsWith('.created'))
    : [];
  const first = sent[0];
  return {
    customer: run.customerId,
    journey: run.journeyId,
    segment: segmentOf(run.decisions),
    channels: channels.join(', ') || '—',
    messages: [`${sent.length}${listed.length > 0 ? `: ${listed.join(', ')}` : ''}`, ...skipped].join('; '),
    firstMessage: first ? localTime(first.at, timezoneOf(run.decisions)) : '—',
    ended: endingOf(run, subjectEvents),
  };
}

/** Returns the rows as an aligned plain-text table. */
export function formatTable(rows: readonly DemoRow[]): string {
  const headers: Record<keyof DemoRow, string> = {
    customer: 'customer',
    journey: 'journey',
    segment: 'segment',
    channels: 'channels',
    messages: 'messages sent',
    firstMessage: 'first message (local time)',
    ended: 'how the run ended',
  };
  const keys = Object.keys(headers) as Array<keyof DemoRow>;
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(keys.map((k) => headers[k])),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => r[k]))),
  ].join('\n');
}
