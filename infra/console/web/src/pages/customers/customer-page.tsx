import type { CustomerProfile } from '#core/customer.ts';
import { useResource } from '../../api/api-context.ts';
import { customerPath } from '../../api/customers.ts';
import { NotFound } from '../../ui/not-found.tsx';
import { PageTitle } from '../../ui/page-title.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';

/** One customer: who they are, what they were sent and why, and what a person can do now. */
export default function CustomerPage({ params }: { params: { customerId: string } }) {
  const customer = useResource<CustomerProfile>(customerPath(params.customerId));
  if (customer.status === 'loading') return <Loading />;
  if (customer.status === 'not-found') return <NotFound what="customer" />;
  if (customer.status === 'error') return <ErrorState error={customer.error} onRetry={customer.reload} />;
  const profile = customer.data;
  const name = [profile.name?.given, profile.name?.family].filter(Boolean).join(' ');
  return (
    <section>
      <PageTitle subtitle={profile.id}>{name || profile.id}</PageTitle>
    </section>
  );
}
