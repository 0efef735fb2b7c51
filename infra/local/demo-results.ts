/**
 * The demo's results table: the payment reminder's report read through the local HTTP API, as the
 * console and `npx klantreis results` read it, printed as each experiment's arms (conversion, interval,
 * verdict, cost per goal) beside the runs.
 */
import { type ResultsReport, ResultsReportSchema } from '#core/results-report-schema.ts';
import { armsTable, textTable } from '../cli/results-format.ts';
import { callApi } from './demo.ts';
import type { LocalStack } from './runtime.ts';

/** Days after the demo's start its results are read for: every reminder, wait and payment falls within. */
const DEMO_RESULTS_DAYS = 90;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** Reads the journey's report over the demo's days through the HTTP API. */
export async function demoResults(
  stack: Pick<LocalStack, 'apiUrl' | 'apiToken'>,
  journeyId: string,
  simulationStart: Date,
): Promise<ResultsReport> {
  const from = dayOf(simulationStart);
  const to = dayOf(new Date(simulationStart.getTime() + DEMO_RESULTS_DAYS * 86_400_000));
  const { status, body } = await callApi(
    stack,
    'GET',
    `/journeys/${journeyId}/results?from=${from}&to=${to}&by=step`,
  );
  if (status !== 200)
    throw new Error(`results of ${journeyId}: the API answered ${status} ${JSON.stringify(body)}`);
  return ResultsReportSchema.parse(body);
}

/** The report as the demo prints it: each experiment's arms, or the funnel per step when there is none. */
export function formatDemoResults(report: ResultsReport): string {
  const title = `Results of ${report.journeyId} (${report.from} to ${report.to}; ${report.method.name} verdicts, minimum effect ${(report.method.minimumDetectableEffect * 100).toFixed(0)} points):`;
  if (report.experiments.length > 0) return [title, ...report.experiments.map(armsTable)].join('\n');
  const rows = report.groups.map((g) => [
    g.key.step ?? '',
    String(g.counts.planned),
    String(g.counts.sent),
    String(g.counts.goalReached),
  ]);
  return `${title}\n${textTable(['step', 'planned', 'sent', 'goal'], rows)}`;
}
