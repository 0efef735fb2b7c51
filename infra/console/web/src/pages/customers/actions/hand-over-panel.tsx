import { useState } from 'preact/hooks';
import { CloseHandOverBody } from '#application/api/console-agent.ts';
import { HandOverOutcomeValues } from '#core/hand-over-desk.ts';
import { ApiError } from '../../../api/api-client.ts';
import { useApi } from '../../../api/api-context.ts';
import { closeHandOver, type HandOverRecord, takeHandOver } from '../../../api/hand-overs.ts';
import { formatWhen } from '../../../i18n/format.ts';
import { useLanguage } from '../../../i18n/language-context.ts';
import { ActionForm } from '../../../ui/action-form.tsx';
import { ErrorState } from '../../../ui/states.tsx';
import { handOverMessages, REASON_LABEL, STATUS_LABEL } from '../../hand-overs/hand-overs.messages.ts';
import { actionsMessages, CLOSE_OUTCOME_LABEL } from './actions.messages.ts';

/** The customer's open and taken hand-overs: take one, close it with an outcome. */
export function HandOverPanel({ records, onDone }: { records: readonly HandOverRecord[]; onDone(): void }) {
  const t = actionsMessages.useT();
  const h = handOverMessages.useT();
  const { language } = useLanguage();
  const api = useApi();
  const [failure, setFailure] = useState<ApiError>();
  const now = Date.now();

  async function take(record: HandOverRecord) {
    setFailure(undefined);
    try {
      await takeHandOver(api, record.handOverId);
      onDone();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status !== 401) setFailure(error);
    }
  }

  return (
    <section aria-labelledby="customer-hand-overs-title">
      <h3 id="customer-hand-overs-title">{t('handOvers')}</h3>
      {failure ? <ErrorState error={failure} /> : null}
      {records.length === 0 ? <p class="hint">{t('noHandOvers')}</p> : null}
      <ul class="cards">
        {records.map((record) => (
          <li key={record.handOverId} class="card hand-over" data-hand-over={record.handOverId}>
            <p>
              {t('handOverLine', {
                reason: h(REASON_LABEL[record.reason]),
                age: formatWhen(record.at, now, language),
                status: h(STATUS_LABEL[record.status]),
              })}
              {record.takenBy ? ` · ${t('takenBy', { actor: record.takenBy })}` : ''}
              {record.closedBy && record.outcome
                ? ` · ${t('closedWith', { actor: record.closedBy, outcome: t(CLOSE_OUTCOME_LABEL[record.outcome]) })}`
                : ''}
            </p>
            {record.status === 'open' ? (
              <button type="button" onClick={() => void take(record)}>
                {t('take')}
              </button>
            ) : null}
            {record.status !== 'closed' ? (
              <ActionForm
                id={`close-${record.handOverId}`}
                title={t('closeHandOver')}
                submitLabel={t('closeSubmit')}
                confirm={t('closeConfirm')}
                fields={[
                  {
                    name: 'outcome',
                    label: t('closeOutcome'),
                    type: 'select',
                    required: true,
                    options: [
                      { value: '', label: t('chooseOutcome') },
                      ...HandOverOutcomeValues.map((value) => ({
                        value,
                        label: t(CLOSE_OUTCOME_LABEL[value]),
                      })),
                    ],
                  },
                  { name: 'note', label: t('note'), type: 'textarea', hint: t('noteHint') },
                ]}
                schema={CloseHandOverBody}
                toBody={(values) => ({
                  ...(values.outcome ? { outcome: values.outcome } : {}),
                  ...(values.note?.trim() ? { note: values.note.trim() } : {}),
                })}
                submit={(body) => closeHandOver(api, record.handOverId, body)}
                onDone={onDone}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
