import { useCallback, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { CustomerProfile } from '#core/customer.ts';
import { type Resource, useResource } from '../../api/api-context.ts';
import { type ConversationItem, type SegmentSeen, segmentAtLastDecision } from '../../api/conversation.ts';
import { customerPath } from '../../api/customers.ts';
import { type HandOverPage, type HandOverRecord, handOversPath } from '../../api/hand-overs.ts';
import { type CustomerRuns, customerRunsPath } from '../../api/runs.ts';
import { simulatorPagePath } from '../../api/simulation.ts';
import { useSession } from '../../session/session-context.ts';
import { NotFound } from '../../ui/not-found.tsx';
import { PageTitle } from '../../ui/page-title.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { actionsMessages } from './actions/actions.messages.ts';
import { CallOutcomeForm } from './actions/call-outcome-form.tsx';
import { HandOverPanel } from './actions/hand-over-panel.tsx';
import { PauseForm } from './actions/pause-form.tsx';
import { PreferencesForm } from './actions/preferences-form.tsx';
import { RunsPanel } from './actions/runs-panel.tsx';
import { customerMessages } from './customer.messages.ts';
import { ProfilePanel } from './profile-panel.tsx';
import { Timeline } from './timeline/timeline.tsx';

/** The customer's records of one inbox list (hand-overs are few: the lists are short). */
const recordsOf = (resource: Resource<HandOverPage>, customerId: string): HandOverRecord[] =>
  resource.status === 'ready' ? resource.data.items.filter((r) => r.customerId === customerId) : [];

/** One customer: who they are, what they were sent and why, and what a person can do now. */
export default function CustomerPage({ params }: { params: { customerId: string } }) {
  const t = customerMessages.useT();
  const a = actionsMessages.useT();
  const { user } = useSession();
  const customer = useResource<CustomerProfile>(customerPath(params.customerId));
  const found = customer.status === 'ready';
  const runs = useResource<CustomerRuns>(found ? customerRunsPath(params.customerId) : null);
  // The API lists hand-overs by status, not by customer: the customer's are picked from the largest page.
  const open = useResource<HandOverPage>(found ? handOversPath('open', undefined, undefined, 100) : null);
  const taken = useResource<HandOverPage>(found ? handOversPath('taken', undefined, undefined, 100) : null);
  const [version, setVersion] = useState(0);
  const [segment, setSegment] = useState<SegmentSeen>();
  const onNewest = useCallback((items: ConversationItem[]) => setSegment(segmentAtLastDecision(items)), []);
  const reloads = [customer.reload, runs.reload, open.reload, taken.reload];
  const acted = useCallback(() => {
    setVersion((v) => v + 1);
    for (const reload of reloads) reload();
  }, reloads);
  if (customer.status === 'loading') return <Loading />;
  if (customer.status === 'not-found') return <NotFound what="customer" />;
  if (customer.status === 'error') return <ErrorState error={customer.error} onRetry={customer.reload} />;
  const profile = customer.data;
  const name = [profile.name?.given, profile.name?.family].filter(Boolean).join(' ');
  const mayAct = user.roles.includes('agent');
  const { runs: runList, holds } = runs.status === 'ready' ? runs.data : { runs: [], holds: [] };
  const handOvers = [...recordsOf(open, profile.id), ...recordsOf(taken, profile.id)];
  return (
    <article class="customer">
      <PageTitle subtitle={name ? profile.id : undefined}>{name || profile.id}</PageTitle>
      <div class="columns">
        <div>
          <section class="actions" aria-labelledby="actions-title">
            <h2 id="actions-title">{t('actions')}</h2>
            {mayAct ? null : <p class="notice">{t('viewerNote')}</p>}
            {handOvers.length > 0 ? <HandOverPanel records={handOvers} onDone={acted} /> : null}
            <details>
              <summary>{a('callOutcome')}</summary>
              <CallOutcomeForm customerId={profile.id} runs={runList} onDone={acted} />
            </details>
            <details>
              <summary>{a('pause')}</summary>
              <PauseForm customerId={profile.id} onDone={acted} />
            </details>
            <details>
              <summary>{t('changePreferences')}</summary>
              <PreferencesForm profile={profile} onDone={acted} />
            </details>
          </section>
          <Timeline customerId={profile.id} version={version} onNewest={onNewest} />
        </div>
        <aside aria-label={t('profile')}>
          {runs.status === 'error' ? <ErrorState error={runs.error} onRetry={runs.reload} /> : null}
          {runs.status === 'ready' ? (
            <RunsPanel customerId={profile.id} runs={runList} holds={holds} onDone={acted} />
          ) : null}
          <ProfilePanel profile={profile} segment={segment} />
          <p>
            <Link href={simulatorPagePath(profile.id)}>{t('whatNow')}</Link>
          </p>
        </aside>
      </div>
    </article>
  );
}
