import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import { useResource } from '../../api/api-context.ts';
import {
  type ExperimentReport,
  type FunnelGroup,
  type JourneysResponse,
  journeysPath,
  type ResultsReport,
  resultsPath,
} from '../../api/journeys.ts';
import { useLanguage } from '../../i18n/language-context.ts';
import { PageTitle } from '../../ui/page-title.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { resultsMessages } from './results.messages.ts';

// uPlot comes with the chart only, when a report has arms to draw.
const ArmsChart = lazy(() => import('./arms-chart.tsx'));

type T = ReturnType<typeof resultsMessages.useT>;
const PERIODS = [7, 30, 90] as const;

function usd(value: number | null, language: string, t: T): string {
  if (value === null) return t('none');
  return new Intl.NumberFormat(language, {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 4,
  }).format(value);
}
const percent = (value: number | null, language: string) =>
  value === null
    ? '—'
    : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(value);

const FUNNEL_COLUMNS = [
  'planned',
  'sent',
  'delivered',
  'opened',
  'replied',
  'goalReached',
  'handedOver',
] as const;

/** SMS link clicks with their share of the SMS delivered: a step sent by both channels sums clicks in `clicked`. */
function smsClicks(sms: FunnelGroup['engagement']['sms'], language: string): string {
  return sms.clickRate === null
    ? String(sms.clicked)
    : `${sms.clicked} (${percent(sms.clickRate, language)})`;
}

function Experiment({ experiment, t }: { experiment: ExperimentReport; t: T }) {
  const { language } = useLanguage();
  const title = t('experiment', { id: experiment.experimentId, step: experiment.stepId ?? t('none') });
  return (
    <section class="experiment" data-experiment={experiment.experimentId} aria-label={title}>
      <h3>{title}</h3>
      <Suspense fallback={<Loading />}>
        <ArmsChart arms={experiment.arms} label={t('chartLabel', { id: experiment.experimentId })} />
      </Suspense>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('arm')}</th>
              <th scope="col">{t('planned')}</th>
              <th scope="col">{t('goalReached')}</th>
              <th scope="col">{t('conversion')}</th>
              <th scope="col">{t('interval')}</th>
              <th scope="col">{t('versusControl')}</th>
              <th scope="col">{t('verdict')}</th>
              <th scope="col">{t('costPerGoal')}</th>
              <th scope="col">{t('medianDays')}</th>
            </tr>
          </thead>
          <tbody>
            {experiment.arms.map((arm) => (
              <tr key={arm.arm} data-arm={arm.arm}>
                <th scope="row">{arm.arm}</th>
                <td>{arm.planned}</td>
                <td>{arm.goalReached}</td>
                <td>{percent(arm.conversion, language)}</td>
                <td>
                  {percent(arm.interval.low, language)} – {percent(arm.interval.high, language)}
                </td>
                <td>
                  {arm.versusControl
                    ? `${arm.versusControl.difference >= 0 ? '+' : ''}${percent(arm.versusControl.difference, language)} (p = ${arm.versusControl.pValue.toFixed(3)})`
                    : t('none')}
                </td>
                <td data-verdict={arm.verdict}>{t(`verdict.${arm.verdict}`)}</td>
                <td>{usd(arm.costPerGoalUsd, language, t)}</td>
                <td>
                  {arm.medianDaysToGoal === null
                    ? t('none')
                    : `${arm.medianDaysToGoal}${arm.medianDaysToGoalOrMore ? '+' : ''}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {experiment.requiredPerArm !== null ? (
        <p class="muted">{t('requiredPerArm', { count: experiment.requiredPerArm })}</p>
      ) : null}
    </section>
  );
}

function Report({ report, t }: { report: ResultsReport; t: T }) {
  const { language } = useLanguage();
  return (
    <>
      <h2>{t('funnel')}</h2>
      {report.groups.length === 0 ? (
        <Empty>{t('noGroups')}</Empty>
      ) : (
        <div class="table-scroll">
          <table data-funnel={report.journeyId}>
            <thead>
              <tr>
                <th scope="col">{t('step')}</th>
                {FUNNEL_COLUMNS.map((c) => (
                  <th scope="col" key={c}>
                    {t(c)}
                  </th>
                ))}
                <th scope="col">{t('smsClicked')}</th>
                <th scope="col">{t('cost')}</th>
                <th scope="col">{t('costPerGoal')}</th>
              </tr>
            </thead>
            <tbody>
              {report.groups.map((group) => {
                const step = group.key.step ?? Object.values(group.key).join(' · ');
                return (
                  <tr key={step} data-step={step}>
                    <th scope="row">{step}</th>
                    {FUNNEL_COLUMNS.map((c) => (
                      <td key={c}>{group.counts[c]}</td>
                    ))}
                    <td data-sms-clicked={group.engagement.sms.clicked}>
                      {smsClicks(group.engagement.sms, language)}
                    </td>
                    <td>{usd(group.costUsd.total, language, t)}</td>
                    <td>{usd(group.costPerGoalUsd, language, t)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {report.experiments.length === 0 ? <Empty>{t('noExperiments')}</Empty> : null}
      {report.experiments.map((experiment) => (
        <Experiment key={experiment.experimentId} experiment={experiment} t={t} />
      ))}
      <p class="muted">{t('method', { method: report.method.name })}</p>
    </>
  );
}

/** Results per journey: the funnel, the experiments' arms with their intervals, verdicts and cost per result. */
export default function ResultsPage() {
  const t = resultsMessages.useT();
  const journeys = useResource<JourneysResponse>(journeysPath);
  const [journeyId, setJourneyId] = useState('payment-reminder');
  const [days, setDays] = useState<number>(30);
  const report = useResource<ResultsReport>(resultsPath(journeyId, days));
  const ids = journeys.status === 'ready' ? journeys.data.journeys.map((j) => j.journeyId) : [journeyId];
  return (
    <section>
      <PageTitle subtitle={t('intro')}>{t('title')}</PageTitle>
      <div class="filters">
        <label for="results-journey">{t('journey')}</label>
        <select id="results-journey" value={journeyId} onChange={(e) => setJourneyId(e.currentTarget.value)}>
          {ids.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <label for="results-period">{t('period')}</label>
        <select
          id="results-period"
          value={String(days)}
          onChange={(e) => setDays(Number(e.currentTarget.value))}
        >
          {PERIODS.map((d) => (
            <option key={d} value={String(d)}>
              {t('days', { days: d })}
            </option>
          ))}
        </select>
      </div>
      {report.status === 'loading' ? <Loading /> : null}
      {report.status === 'error' ? <ErrorState error={report.error} onRetry={report.reload} /> : null}
      {report.status === 'not-found' ? <Empty>{t('noGroups')}</Empty> : null}
      {report.status === 'ready' ? <Report report={report.data} t={t} /> : null}
    </section>
  );
}
