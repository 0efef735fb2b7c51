import { useCallback, useState } from 'preact/hooks';
import type { CustomerProfile } from '#core/customer.ts';
import { useResource } from '../../api/api-context.ts';
import { customerPath } from '../../api/customers.ts';
import { useSession } from '../../session/session-context.ts';
import { NotFound } from '../../ui/not-found.tsx';
import { PageTitle } from '../../ui/page-title.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { PreferencesForm } from './actions/preferences-form.tsx';
import { customerMessages } from './customer.messages.ts';
import { ProfilePanel } from './profile-panel.tsx';
import { Timeline } from './timeline/timeline.tsx';

/** One customer: who they are, what they were sent and why, and what a person can do now. */
export default function CustomerPage({ params }: { params: { customerId: string } }) {
  const t = customerMessages.useT();
  const { user } = useSession();
  const customer = useResource<CustomerProfile>(customerPath(params.customerId));
  const [version, setVersion] = useState(0);
  const { reload } = customer;
  const acted = useCallback(() => {
    setVersion((v) => v + 1);
    reload();
  }, [reload]);
  if (customer.status === 'loading') return <Loading />;
  if (customer.status === 'not-found') return <NotFound what="customer" />;
  if (customer.status === 'error') return <ErrorState error={customer.error} onRetry={customer.reload} />;
  const profile = customer.data;
  const name = [profile.name?.given, profile.name?.family].filter(Boolean).join(' ');
  const mayAct = user.roles.includes('agent');
  return (
    <article class="customer">
      <PageTitle subtitle={name ? profile.id : undefined}>{name || profile.id}</PageTitle>
      <div class="columns">
        <div>
          <section class="actions" aria-labelledby="actions-title">
            <h2 id="actions-title">{t('actions')}</h2>
            {mayAct ? null : <p class="notice">{t('viewerNote')}</p>}
            <details>
              <summary>{t('changePreferences')}</summary>
              <PreferencesForm profile={profile} onDone={acted} />
            </details>
          </section>
          <Timeline customerId={profile.id} version={version} />
        </div>
        <aside aria-label={t('profile')}>
          <ProfilePanel profile={profile} />
        </aside>
      </div>
    </article>
  );
}
