import { useState } from 'preact/hooks';
import { useResource } from '../../api/api-context.ts';
import {
  type JourneyState,
  type JourneysResponse,
  type JourneyView,
  journeysPath,
  type ResultsReport,
  resultsPath,
} from '../../api/journeys.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useLanguage } from '../../i18n/language-context.ts';
import { PageTitle } from '../../ui/page-title.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { JourneyGraph } from './journey-graph.tsx';
import { journeysMessages } from './journeys.messages.ts';

type T = ReturnType<typeof journeysMessages.useT>;

const PERIODS = [7, 30, 90] as const;

/** A value of a step's config as a person reads it: lists joined, objects as compact JSON. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function StepConfig({ state, t }: { state: JourneyState; t: T }) {
  const config = state.step?.config ?? {};
  const rows: Array<[string, unknown]> = [
    [t('template'), config.templateId],
    [t('channels'), config.channels ?? config['channels.$']],
    [t('tone'), config.tone],
    [t('condition'), config.onlyIf],
    [t('experiment'), config.experiment],
    [t('timing'), config.next],
  ];
  return (
    <details>
      <summary>
        {t('stepConfig')}: {state.step?.key}
      </summary>
      <dl class="config">
        {rows
          .filter(([, value]) => value !== undefined)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{shown(value)}</dd>
            </div>
          ))}
      </dl>
    </details>
  );
}

function leadsTo(journey: JourneyView, state: JourneyState, t: T): string {
  return journey.edges
    .filter((e) => e.from === state.name)
    .map((e) =>
      e.kind === 'retry'
        ? t('retries', { errors: (e.errors ?? []).join(', ') })
        : e.kind === 'catch'
          ? `${e.to} (${t('onError', { errors: (e.errors ?? []).join(', ') })})`
          : e.to,
    )
    .join('; ');
}

function Outcomes({ journeyId, t }: { journeyId: string; t: T }) {
  const { language } = useLanguage();
  const [days, setDays] = useState<number>(30);
  const results = useResource<ResultsReport>(resultsPath(journeyId, days));
  const money = (usd: number | null) =>
    usd === null
      ? t('none')
      : new Intl.NumberFormat(language, { style: 'currency', currency: 'USD' }).format(usd);
  return (
    <section aria-labelledby={`outcomes-${journeyId}`}>
      <h3 id={`outcomes-${journeyId}`}>{t('outcomes')}</h3>
      <label for={`period-${journeyId}`}>{t('period')} </label>
      <select
        id={`period-${journeyId}`}
        value={String(days)}
        onChange={(event) => setDays(Number(event.currentTarget.value))}
      >
        {PERIODS.map((d) => (
          <option key={d} value={String(d)}>
            {t('days', { days: d })}
          </option>
        ))}
      </select>
      {results.status === 'loading' ? <Loading /> : null}
      {results.status === 'error' ? <ErrorState error={results.error} onRetry={results.reload} /> : null}
      {results.status === 'not-found' ? <Empty>{t('noResults')}</Empty> : null}
      {results.status === 'ready' ? (
        <dl class="totals" data-outcomes={journeyId}>
          {(['planned', 'sent', 'delivered', 'goalReached', 'handedOver'] as const).map((counter) => (
            <div key={counter}>
              <dt>{t(counter)}</dt>
              <dd>{results.data.totals.counts[counter]}</dd>
            </div>
          ))}
          <div>
            <dt>{t('costPerGoal')}</dt>
            <dd>{money(results.data.totals.costPerGoalUsd)}</dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}

function Journey({ journey, t }: { journey: JourneyView; t: T }) {
  return (
    <section
      class="journey"
      aria-labelledby={`journey-${journey.journeyId}`}
      data-journey={journey.journeyId}
    >
      <h2 id={`journey-${journey.journeyId}`}>
        {journey.journeyId} <span class="badge">{t('running', { count: journey.running })}</span>
      </h2>
      <JourneyGraph
        journey={journey}
        label={t('graphLabel', { journey: journey.journeyId, states: journey.states.length })}
      />
      <div class="table-scroll">
        <table>
          <caption>{t('states')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('type')}</th>
              <th scope="col">{t('waiting')}</th>
              <th scope="col">{t('leadsTo')}</th>
            </tr>
          </thead>
          <tbody>
            {journey.states.map((state) => (
              <tr key={state.name} data-state={state.name}>
                <th scope="row">
                  {state.name}
                  {state.step ? <StepConfig state={state} t={t} /> : null}
                </th>
                <td>
                  {state.type}
                  {state.waitsForCallback ? <div class="muted">{t('callback')}</div> : null}
                </td>
                <td class="count" data-running={state.running}>
                  {state.running}
                </td>
                <td>{leadsTo(journey, state, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Outcomes journeyId={journey.journeyId} t={t} />
    </section>
  );
}

/** The communication team's journeys: drawn, counted per state now, with outcomes over a period. */
export default function JourneysPage() {
  const t = journeysMessages.useT();
  const { language } = useLanguage();
  const journeys = useResource<JourneysResponse>(journeysPath);
  return (
    <section>
      <PageTitle subtitle={t('intro')}>{t('title')}</PageTitle>
      {journeys.status === 'loading' ? <Loading /> : null}
      {journeys.status === 'error' ? <ErrorState error={journeys.error} onRetry={journeys.reload} /> : null}
      {journeys.status === 'ready' ? (
        <>
          <p class="muted">{t('countedAt', { at: formatDateTime(journeys.data.countedAt, language) })}</p>
          {journeys.data.journeys.map((journey) => (
            <Journey key={journey.journeyId} journey={journey} t={t} />
          ))}
        </>
      ) : null}
    </section>
  );
}
