import { useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { useResource } from '../../api/api-context.ts';
import { type JourneysResponse, journeysPath } from '../../api/journeys.ts';
import { type Simulation, simulationPath, simulatorPagePath } from '../../api/simulation.ts';
import { PageTitle } from '../../ui/page-title.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { simulatorMessages } from './simulator.messages.ts';

type T = ReturnType<typeof simulatorMessages.useT>;

function Plan({ simulation, t }: { simulation: Simulation; t: T }) {
  const none = t('none');
  return (
    <>
      <p class="muted">
        {t('planFor', { journey: simulation.journeyId, customer: simulation.customerId, at: simulation.at })}
      </p>
      {simulation.steps.length === 0 ? <Empty>{t('noSteps')}</Empty> : null}
      {simulation.steps.length > 0 ? (
        <div class="table-scroll">
          <table class="simulation">
            <thead>
              <tr>
                <th scope="col">{t('step')}</th>
                <th scope="col">{t('channel')}</th>
                <th scope="col">{t('localTime')}</th>
                <th scope="col">{t('utcTime')}</th>
                <th scope="col">{t('template')}</th>
                <th scope="col">{t('arm')}</th>
                <th scope="col">{t('cost')}</th>
                <th scope="col">{t('reasons')}</th>
              </tr>
            </thead>
            <tbody>
              {simulation.steps.map((s) => (
                <tr key={`${s.state}/${s.step}/${s.decidedAt}`} data-step={s.step}>
                  <th scope="row">{s.step}</th>
                  <td>
                    {s.skipped ? t('skipped', { why: s.skipped }) : (s.channel ?? none)}
                    {s.fallbacks.length > 0 ? (
                      <div class="muted">{t('fallbacks', { channels: s.fallbacks.join(', ') })}</div>
                    ) : null}
                  </td>
                  <td>{s.localSendAt ? `${s.localSendAt} (${s.timezone ?? ''})` : none}</td>
                  <td>{s.sendAt ?? none}</td>
                  <td>{s.template ? [s.template, s.variant, s.locale].filter(Boolean).join(' · ') : none}</td>
                  <td>{s.experiment ? `${s.experiment}: ${s.arm ?? ''} (${s.armChange ?? ''})` : none}</td>
                  <td>
                    {s.costUsd !== null && !s.skipped ? String(Number(s.costUsd.toPrecision(6))) : none}
                  </td>
                  <td>
                    <ul>
                      {s.reasons.map((reason) => (
                        <li key={reason}>{reason}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {simulation.totals.length > 0 ? (
        <p data-totals>
          {t('totals')}:{' '}
          {simulation.totals
            .map((total) =>
              t('total', {
                channel: total.channel,
                messages: String(total.messages),
                cost: String(Number(total.costUsd.toFixed(4))),
              }),
            )
            .join(', ')}
        </p>
      ) : null}
      {simulation.notes.length > 0 ? (
        <details>
          <summary>{t('notes')}</summary>
          <ul>
            {simulation.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

/** "What would this customer get now?": one customer's journey planned from their stored profile. */
export default function SimulatorPage({ params }: { params: { customerId?: string } }) {
  const t = simulatorMessages.useT();
  const [, navigate] = useLocation();
  const customerId = params.customerId ?? '';
  const [typed, setTyped] = useState(customerId);
  const [journeyId, setJourneyId] = useState('payment-reminder');
  const journeys = useResource<JourneysResponse>(journeysPath);
  const ids = journeys.status === 'ready' ? journeys.data.journeys.map((j) => j.journeyId) : [journeyId];
  const plan = useResource<Simulation>(customerId ? simulationPath(customerId, journeyId) : null);
  return (
    <section>
      <PageTitle subtitle={t('intro')}>{t('title')}</PageTitle>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const id = typed.trim();
          if (id) navigate(simulatorPagePath(id));
        }}
      >
        <label for="simulator-customer">{t('customerId')}</label>
        <input id="simulator-customer" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        <label for="simulator-journey">{t('journey')}</label>
        <select
          id="simulator-journey"
          value={journeyId}
          onChange={(e) => setJourneyId(e.currentTarget.value)}
        >
          {ids.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <button type="submit">{t('show')}</button>
      </form>
      {customerId && plan.status === 'loading' ? <Loading /> : null}
      {customerId && plan.status === 'error' ? <ErrorState error={plan.error} onRetry={plan.reload} /> : null}
      {customerId && plan.status === 'not-found' ? <Empty>{t('notFound')}</Empty> : null}
      {customerId && plan.status === 'ready' ? <Plan simulation={plan.data} t={t} /> : null}
    </section>
  );
}
