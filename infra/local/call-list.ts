import { type CallTask, callTaskOf } from '#core/call-task.ts';
import type { CallTaskSender, OutboundCall } from '#core/ports.ts';

/**
 * The local stand-in for the contact centre's call queue: keeps every call task, in order, on the
 * simulated clock, for `npm start`'s call list (`GET /local/calls`) and tests. A repeated task (a
 * retried step) is kept once, as a consumer deduplicating on `callTaskId` would.
 */
export class CallList implements CallTaskSender {
  readonly providerName = 'the local call list';
  readonly #tasks = new Map<string, CallTask>();
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  async scheduleCall(call: OutboundCall): Promise<{ providerMessageId: string }> {
    const task = callTaskOf(call, this.#now());
    if (!this.#tasks.has(task.callTaskId)) this.#tasks.set(task.callTaskId, task);
    return { providerMessageId: task.callTaskId };
  }

  /** Returns the call tasks so far, by when to call. */
  tasks(): CallTask[] {
    return [...this.#tasks.values()].sort((a, b) => a.callAt.localeCompare(b.callAt));
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The call list's route (`GET /local/calls`): JSON by default, a page with `?page` (or a browser's
 * `Accept: text/html`): when to call (simulated time), the customer id, the run and the script.
 */
export function callListRoute(list: CallList) {
  return async (event: {
    queryStringParameters?: Record<string, string | undefined>;
    headers?: Record<string, string | undefined>;
  }) => {
    const tasks = list.tasks();
    const wantsPage =
      event.queryStringParameters?.page !== undefined || (event.headers?.accept ?? '').includes('text/html');
    if (!wantsPage) {
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ calls: tasks }),
      };
    }
    const rows = tasks
      .map(
        (t) =>
          `<tr><td>${escapeHtml(t.callAt)}</td><td>${escapeHtml(t.customerId)}</td><td>${escapeHtml(t.runId)}</td><td>${escapeHtml(t.journeyId)}/${escapeHtml(t.stepId)}</td><td><pre>${escapeHtml(t.script)}</pre></td></tr>`,
      )
      .join('\n');
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Call list</title></head><body>
<h1>Call list</h1>
<p>Play an outcome: <code>POST /events</code> with <code>{"type":"call.completed","customerId":…,"runId":…,"outcome":…}</code> (docs/phone.md).</p>
<table><thead><tr><th>Call at (simulated, UTC)</th><th>Customer</th><th>Run</th><th>Step</th><th>Script</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`;
    return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
  };
}
