import { useState } from 'preact/hooks';
import { StopRunBody } from '#application/api/console-agent.ts';
import { ApiError } from '../../../api/api-client.ts';
import { useApi } from '../../../api/api-context.ts';
import { type Hold, liftPause, type RunView, stopRun } from '../../../api/runs.ts';
import { formatDate, formatDateTime } from '../../../i18n/format.ts';
import { useLanguage } from '../../../i18n/language-context.ts';
import { ActionForm } from '../../../ui/action-form.tsx';
import { ErrorState } from '../../../ui/states.tsx';
import { actionsMessages, RUN_STATUS_LABEL } from './actions.messages.ts';

function HoldLine({ hold }: { hold: Hold }) {
  const t = actionsMessages.useT();
  const { language } = useLanguage();
  const until = formatDateTime(hold.until, language);
  const vars = {
    until,
    by: hold.by,
    date: hold.promisedDate ? formatDate(hold.promisedDate, language) : until,
    arrangement: hold.arrangementId ?? '',
  };
  return (
    <li data-hold={hold.kind}>
      {hold.kind === 'pause'
        ? t('holdPause', vars)
        : hold.kind === 'promise-to-pay'
          ? t('holdPromise', vars)
          : hold.kind === 'arrangement'
            ? t('holdArrangement', vars)
            : t('holdDispute', vars)}
    </li>
  );
}

/** The customer's runs: where each is, when it wakes next, what holds it; stop a running one. */
export function RunsPanel({
  customerId,
  runs,
  holds,
  onDone,
}: {
  customerId: string;
  runs: readonly RunView[];
  holds: readonly Hold[];
  onDone(): void;
}) {
  const t = actionsMessages.useT();
  const { language } = useLanguage();
  const api = useApi();
  const [failure, setFailure] = useState<ApiError>();
  // The server lists the holds in force; a hold's end may lie behind this browser's clock locally.
  const liveHolds = holds;
  const pauses = liveHolds.filter((h) => !h.runId);
  async function lift() {
    setFailure(undefined);
    try {
      await liftPause(api, customerId);
      onDone();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status !== 401) setFailure(error);
    }
  }
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">{t('runs')}</h2>
      {failure ? <ErrorState error={failure} /> : null}
      {pauses.length > 0 ? (
        <>
          <ul class="holds">
            {pauses.map((hold) => (
              <HoldLine key={`${hold.kind}-${hold.at}`} hold={hold} />
            ))}
          </ul>
          <button type="button" class="secondary" onClick={() => void lift()}>
            {t('liftPause')}
          </button>
        </>
      ) : null}
      {runs.length === 0 ? <p class="hint">{t('noRuns')}</p> : null}
      <ul class="cards">
        {runs.map((run) => (
          <li key={run.runId} class="card run" data-run={run.runId} data-status={run.status}>
            <h3>{t('runLine', { journey: run.journeyId })}</h3>
            <dl class="facts">
              <dt>{t('status')}</dt>
              <dd class="run-status">{t(RUN_STATUS_LABEL[run.status] ?? 'statusRunning')}</dd>
              {run.subjectId ? (
                <>
                  <dt>{t('subject')}</dt>
                  <dd>{run.subjectId}</dd>
                </>
              ) : null}
              {run.currentStep || run.currentState ? (
                <>
                  <dt>{t('currentStep')}</dt>
                  <dd class="current-step">
                    {[run.currentStep, run.currentState ? `(${run.currentState})` : '']
                      .filter(Boolean)
                      .join(' ')}
                  </dd>
                </>
              ) : null}
              {run.status === 'running' && run.nextWakeAt ? (
                <>
                  <dt>{t('nextWake')}</dt>
                  <dd class="next-wake">
                    <time dateTime={run.nextWakeAt}>{formatDateTime(run.nextWakeAt, language)}</time>
                  </dd>
                </>
              ) : null}
              <dt>{t('started')}</dt>
              <dd>{formatDateTime(run.startedAt, language)}</dd>
              {run.endedAt ? (
                <>
                  <dt>{t('ended')}</dt>
                  <dd>{formatDateTime(run.endedAt, language)}</dd>
                </>
              ) : null}
            </dl>
            {run.status === 'running' && run.heldBecause ? <p class="held">{run.heldBecause}</p> : null}
            {liveHolds.some((h) => h.runId === run.runId) ? (
              <ul class="holds">
                {liveHolds
                  .filter((h) => h.runId === run.runId)
                  .map((hold) => (
                    <HoldLine key={`${hold.kind}-${hold.at}`} hold={hold} />
                  ))}
              </ul>
            ) : null}
            {run.status === 'running' ? (
              <details>
                <summary>{t('stopRun')}</summary>
                <ActionForm
                  id={`stop-${customerId}-${run.runId}`}
                  title={t('stopRunTitle', { journey: run.journeyId })}
                  submitLabel={t('stopRun')}
                  danger
                  confirm={t('stopConfirm')}
                  fields={[{ name: 'reason', label: t('stopReason'), type: 'text', required: true }]}
                  schema={StopRunBody}
                  toBody={(values) => ({ reason: values.reason?.trim() ?? '' })}
                  submit={(body) => stopRun(api, run.runId, body)}
                  onDone={onDone}
                />
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
