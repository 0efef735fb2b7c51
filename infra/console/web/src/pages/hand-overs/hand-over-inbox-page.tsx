import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { HandOverReasonValues } from '#core/hand-over-desk.ts';
import { ApiError } from '../../api/api-client.ts';
import { useApi, useResource } from '../../api/api-context.ts';
import { customerPath } from '../../api/customers.ts';
import { type HandOverPage, type HandOverRecord, handOversPath, takeHandOver } from '../../api/hand-overs.ts';
import { formatWhen } from '../../i18n/format.ts';
import { useLanguage } from '../../i18n/language-context.ts';
import { useSession } from '../../session/session-context.ts';
import { Field } from '../../ui/field.tsx';
import { PageTitle } from '../../ui/page-title.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { handOverMessages, REASON_LABEL } from './hand-overs.messages.ts';

type Reason = keyof typeof REASON_LABEL;

/** The hand-over inbox: open and taken hand-overs by reason and age, who took them; take one from here. */
export default function HandOverInboxPage() {
  const t = handOverMessages.useT();
  const { language } = useLanguage();
  const { user } = useSession();
  const api = useApi();
  const [reason, setReason] = useState<Reason | ''>('');
  const open = useResource<HandOverPage>(handOversPath('open', reason || undefined));
  const taken = useResource<HandOverPage>(handOversPath('taken', reason || undefined));
  const [failure, setFailure] = useState<ApiError>();
  const now = Date.now();

  async function take(record: HandOverRecord) {
    setFailure(undefined);
    try {
      await takeHandOver(api, record.handOverId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setFailure(error);
    }
    open.reload();
    taken.reload();
  }

  const rows = (resource: typeof open) =>
    resource.status === 'ready' ? resource.data.items : resource.status === 'not-found' ? [] : undefined;
  const openRows = rows(open);
  const takenRows = rows(taken);
  const counts = new Map<Reason, number>();
  for (const record of [...(openRows ?? []), ...(takenRows ?? [])]) {
    counts.set(record.reason, (counts.get(record.reason) ?? 0) + 1);
  }

  const table = (records: HandOverRecord[], caption: string, mayTake: boolean) => (
    <div class="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('customer')}</th>
            <th scope="col">{t('reason')}</th>
            <th scope="col">{t('age')}</th>
            <th scope="col">{t('takenBy')}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr key={record.handOverId} data-hand-over={record.handOverId}>
              <td>
                <Link href={customerPath(record.customerId)}>{record.customerId}</Link>
              </td>
              <td>{t(REASON_LABEL[record.reason])}</td>
              <td>
                <time dateTime={record.at}>{formatWhen(record.at, now, language)}</time>
              </td>
              <td>
                {record.takenBy ? (
                  t('takenByAt', {
                    actor: record.takenBy,
                    age: record.takenAt ? formatWhen(record.takenAt, now, language) : '',
                  })
                ) : mayTake ? (
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t('takeCustomer', { customer: record.customerId })}
                    onClick={() => void take(record)}
                  >
                    {t('take')}
                  </button>
                ) : (
                  t('nobody')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  const error = open.status === 'error' ? open.error : taken.status === 'error' ? taken.error : undefined;
  return (
    <section>
      <PageTitle subtitle={t('inboxIntro')}>{t('inboxTitle')}</PageTitle>
      <form class="search" onSubmit={(e) => e.preventDefault()}>
        <Field id="hand-over-reason" label={t('reasonFilter')}>
          {() => (
            <select
              id="hand-over-reason"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value as Reason | '')}
            >
              <option value="">{t('allReasons')}</option>
              {HandOverReasonValues.map((value) => (
                <option key={value} value={value}>
                  {t(REASON_LABEL[value])}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      {counts.size > 0 ? (
        <ul class="counts">
          {[...counts].map(([key, count]) => (
            <li key={key}>{t('countByReason', { count, reason: t(REASON_LABEL[key]) })}</li>
          ))}
        </ul>
      ) : null}
      {failure ? <ErrorState error={failure} /> : null}
      {error ? <ErrorState error={error} onRetry={open.reload} /> : null}
      {openRows === undefined || takenRows === undefined ? (
        error ? null : (
          <Loading />
        )
      ) : openRows.length + takenRows.length === 0 ? (
        <Empty>{t('noneOpen')}</Empty>
      ) : (
        <>
          {openRows.length > 0 ? table(openRows, t('open'), user.roles.includes('agent')) : null}
          {takenRows.length > 0 ? table(takenRows, t('taken'), false) : null}
        </>
      )}
    </section>
  );
}
