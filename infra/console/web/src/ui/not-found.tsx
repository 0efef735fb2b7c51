import { Link } from 'wouter-preact';
import { PageTitle } from './page-title.tsx';
import { uiMessages } from './ui.messages.ts';

/** A plain page for an address or a customer that is not there: what it means and where to go. */
export function NotFound({ what = 'page' }: { what?: 'page' | 'customer' }) {
  const t = uiMessages.useT();
  return (
    <section class="not-found">
      <PageTitle>{what === 'customer' ? t('customerNotFoundTitle') : t('notFoundTitle')}</PageTitle>
      <p>{what === 'customer' ? t('customerNotFoundText') : t('notFoundText')}</p>
      <p>
        <Link href="/customers">{t('backToSearch')}</Link>
      </p>
    </section>
  );
}
