import { CallOutcomeBody } from '#application/api/console-agent.ts';
import { useApi } from '../../../api/api-context.ts';
import { type RunView, recordCallOutcome } from '../../../api/runs.ts';
import { ActionForm } from '../../../ui/action-form.tsx';
import { actionsMessages } from './actions.messages.ts';

/** Record a call with the customer: reached, no answer, a promise to pay on a date, or a dispute. */
export function CallOutcomeForm({
  customerId,
  runs,
  onDone,
}: {
  customerId: string;
  runs: readonly RunView[];
  onDone(): void;
}) {
  const t = actionsMessages.useT();
  const api = useApi();
  const running = runs.filter((run) => run.status === 'running');
  return (
    <ActionForm
      id={`call-${customerId}`}
      title={t('callOutcome')}
      submitLabel={t('recordCall')}
      fields={[
        {
          name: 'outcome',
          label: t('outcome'),
          type: 'select',
          options: [
            { value: 'promise-to-pay', label: t('outcomePromise') },
            { value: 'reached', label: t('outcomeReached') },
            { value: 'no-answer', label: t('outcomeNoAnswer') },
            { value: 'dispute', label: t('outcomeDispute') },
          ],
        },
        { name: 'promisedDate', label: t('promisedDate'), type: 'date', hint: t('promisedDateHint') },
        ...(running.length > 0
          ? [
              {
                name: 'runId',
                label: t('run'),
                type: 'select' as const,
                options: [
                  { value: '', label: t('anyRun') },
                  ...running.map((run) => ({
                    value: run.runId,
                    label: `${run.journeyId}${run.subjectId ? ` (${run.subjectId})` : ''}`,
                  })),
                ],
              },
            ]
          : []),
        { name: 'note', label: t('note'), type: 'textarea', hint: t('noteHint') },
      ]}
      schema={CallOutcomeBody}
      toBody={(values) => ({
        outcome: values.outcome,
        ...(values.promisedDate ? { promisedDate: values.promisedDate } : {}),
        ...(values.runId ? { runId: values.runId } : {}),
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
      })}
      submit={(body) => recordCallOutcome(api, customerId, body)}
      onDone={onDone}
    />
  );
}
