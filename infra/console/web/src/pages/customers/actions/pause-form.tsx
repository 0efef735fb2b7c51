import { PauseBody } from '#application/api/console-agent.ts';
import { useApi } from '../../../api/api-context.ts';
import { pauseMessages } from '../../../api/runs.ts';
import { ActionForm } from '../../../ui/action-form.tsx';
import { actionsMessages } from './actions.messages.ts';

/** Pause every automated message to the customer until a day (they are talking to a person). */
export function PauseForm({ customerId, onDone }: { customerId: string; onDone(): void }) {
  const t = actionsMessages.useT();
  const api = useApi();
  return (
    <ActionForm
      id={`pause-${customerId}`}
      title={t('pause')}
      submitLabel={t('pauseSubmit')}
      fields={[
        { name: 'until', label: t('pauseUntil'), type: 'date', hint: t('pauseUntilHint'), required: true },
        { name: 'reason', label: t('pauseReason'), type: 'text', required: true },
      ]}
      schema={PauseBody}
      toBody={(values) => ({ until: values.until ?? '', reason: values.reason?.trim() ?? '' })}
      submit={(body) => pauseMessages(api, customerId, body)}
      onDone={onDone}
    />
  );
}
