import { useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { ApiError } from '../../api/api-client.ts';
import { useApi } from '../../api/api-context.ts';
import { customerPath, customerQueryOf, findCustomerIds } from '../../api/customers.ts';
import { Field } from '../../ui/field.tsx';
import { PageTitle } from '../../ui/page-title.tsx';
import { ErrorState } from '../../ui/states.tsx';
import { customersMessages } from './customers.messages.ts';

/** Find a customer by id, or by exact email or phone through the server's index. */
export default function FindCustomerPage() {
  const t = customersMessages.useT();
  const api = useApi();
  const [, navigate] = useLocation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [failure, setFailure] = useState<ApiError>();
  const [matches, setMatches] = useState<string[]>([]);

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(undefined);
    setFailure(undefined);
    setMatches([]);
    const query = customerQueryOf(text);
    if (!query) {
      setProblem(t('emptyQuery'));
      return;
    }
    setBusy(true);
    try {
      const ids = await findCustomerIds(api, query);
      if (ids.length === 1 && ids[0]) navigate(customerPath(ids[0]));
      else if (ids.length === 0) setProblem(t('noMatch'));
      else setMatches(ids);
    } catch (error) {
      if (error instanceof ApiError) setFailure(error);
      else throw error;
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <PageTitle subtitle={t('findIntro')}>{t('findTitle')}</PageTitle>
      <form class="search" onSubmit={submit} noValidate>
        <Field id="customer-query" label={t('query')} error={problem}>
          {(describedBy, invalid) => (
            <input
              id="customer-query"
              name="query"
              type="search"
              autocomplete="off"
              value={text}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(event) => setText(event.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t('finding') : t('find')}
        </button>
      </form>
      {failure ? <ErrorState error={failure} /> : null}
      {matches.length > 1 ? (
        <>
          <p>{t('manyMatches')}</p>
          <ul>
            {matches.map((id) => (
              <li key={id}>
                <Link href={customerPath(id)}>{id}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
