import { Link } from 'wouter-preact';
import { useResource } from '../../api/api-context.ts';
import { customerPath } from '../../api/customers.ts';
import { type DeadLettersResponse, deadLettersPath } from '../../api/dead-letters.ts';
import { type OperationsRun, type OperationsRunsResponse, operationsRunsPath } from '../../api/journeys.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useLanguage } from '../../i18n/language-context.ts';
import { PageTitle } from '../../ui/page-title.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { operationsMessages } from './operations.messages.ts';

type T = ReturnType<typeof operationsMessages.useT>;

function ExecutionLink({ run, t }: { run: OperationsRun; t: T }) {
  if (!run.executionUrl) return <span class="muted">—</span>;
  const external = /^https?:/.test(run.executionUrl);
  return (
    <a href={run.executionUrl} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
      {t('open')}
      <span class="visually-hidden"> {run.runId}</span>
    </a>
  );
}

function RunsTable({
  kind,
  caption,
  empty,
}: {
  kind: OperationsRunsResponse['status'];
  caption: string;
  empty: string;
}) {
  const t = operationsMessages.useT();
  const { language } = useLanguage();
  const runs = useResource<OperationsRunsResponse>(operationsRunsPath(kind));
  if (runs.status === 'loading') return <Loading />;
  if (runs.status === 'error') return <ErrorState error={runs.error} onRetry={runs.reload} />;
  if (runs.status === 'not-found' || runs.data.runs.length === 0) {
    return (
      <>
        <h2>{caption}</h2>
        <Empty>{empty}</Empty>
      </>
    );
  }
  return (
    <div class="table-scroll">
      <table data-operations={kind}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('run')}</th>
            <th scope="col">{t('journey')}</th>
            <th scope="col">{t('customer')}</th>
            <th scope="col">{kind === 'failed' ? t('ended') : t('state')}</th>
            {kind === 'waiting-long' ? (
              <th scope="col">{t('overdue')}</th>
            ) : (
              <th scope="col">{t('status')}</th>
            )}
            <th scope="col">{t('execution')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.data.runs.map((run) => (
            <tr key={run.runId} data-run={run.runId}>
              <td>{run.runId}</td>
              <td>{run.journeyId}</td>
              <td>
                <Link href={customerPath(run.customerId)}>{run.customerId}</Link>
              </td>
              <td>
                {kind === 'failed'
                  ? run.endedAt
                    ? formatDateTime(run.endedAt, language)
                    : '—'
                  : (run.state ?? '—')}
              </td>
              <td>
                {kind === 'waiting-long' ? t('minutes', { minutes: run.overdueMinutes ?? 0 }) : run.status}
              </td>
              <td>
                <ExecutionLink run={run} t={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeadLetters() {
  const t = operationsMessages.useT();
  const queues = useResource<DeadLettersResponse>(deadLettersPath);
  if (queues.status === 'loading') return <Loading />;
  if (queues.status === 'error') return <ErrorState error={queues.error} onRetry={queues.reload} />;
  if (queues.status === 'not-found' || queues.data.queues.length === 0) {
    return (
      <>
        <h2>{t('deadLetters')}</h2>
        <Empty>{t('noDeadLetterQueues')}</Empty>
      </>
    );
  }
  return (
    <div class="table-scroll">
      <table data-operations="dead-letters">
        <caption>{t('deadLetters')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('queue')}</th>
            <th scope="col">{t('depth')}</th>
            <th scope="col">{t('oldestMessages')}</th>
          </tr>
        </thead>
        <tbody>
          {queues.data.queues.map((queue) => (
            <tr key={queue.name} data-queue={queue.name}>
              <th scope="row">{queue.name}</th>
              <td data-depth={queue.depth}>{queue.depth}</td>
              <td>
                {queue.oldest.length === 0
                  ? '—'
                  : queue.oldest
                      .map((m) =>
                        m.ageMinutes === undefined
                          ? m.messageId
                          : `${m.messageId} (${t('minutes', { minutes: m.ageMinutes })})`,
                      )
                      .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Operators: failed and long-waiting runs, each with a link to its execution. */
export default function OperationsPage() {
  const t = operationsMessages.useT();
  return (
    <section>
      <PageTitle subtitle={t('intro')}>{t('title')}</PageTitle>
      <RunsTable kind="failed" caption={t('failed')} empty={t('noFailed')} />
      <RunsTable kind="waiting-long" caption={t('waitingLong')} empty={t('noWaiting')} />
      <DeadLetters />
      <p class="muted">{t('deadLettersNote')}</p>
    </section>
  );
}
