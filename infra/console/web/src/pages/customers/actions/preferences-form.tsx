import * as z from 'zod/mini';
import { type CustomerProfile, PreferencesSchema } from '#core/customer.ts';
import { useApi } from '../../../api/api-context.ts';
import { customerPath } from '../../../api/customers.ts';
import { ActionForm } from '../../../ui/action-form.tsx';
import { customerMessages } from '../customer.messages.ts';
import { CHANNEL_LABEL, PURPOSE_LABEL } from '../profile-panel.tsx';

/** What `PUT /customers/{id}/preferences` accepts: the preferences, no other key. */
const SetPreferencesBody = z.strictObject(PreferencesSchema.shape);
const PURPOSES = ['transactional', 'service', 'marketing'] as const;

/** Change the customer's channel preferences on their behalf (overall and per purpose). */
export function PreferencesForm({ profile, onDone }: { profile: CustomerProfile; onDone(): void }) {
  const t = customerMessages.useT();
  const api = useApi();
  const channelOptions = [
    { value: '', label: t('noPreference') },
    { value: 'email', label: t(CHANNEL_LABEL.email) },
    { value: 'sms', label: t(CHANNEL_LABEL.sms) },
  ];
  const current = profile.preferences;
  // The stored preferences first, so the form starts from what is and changes only what is picked.
  const ordered = (chosen: string | undefined) =>
    chosen
      ? [
          ...channelOptions.filter((o) => o.value === chosen),
          ...channelOptions.filter((o) => o.value !== chosen),
        ]
      : channelOptions;
  return (
    <ActionForm
      id={`preferences-${profile.id}`}
      title={t('changePreferences')}
      submitLabel={t('savePreferences')}
      fields={[
        {
          name: 'channel',
          label: t('preferredChannel'),
          type: 'select',
          hint: t('preferencesHint'),
          options: ordered(current?.channel),
        },
        ...PURPOSES.map((purpose) => ({
          name: `byPurpose.${purpose}`,
          label: t('forPurpose', { purpose: t(PURPOSE_LABEL[purpose]) }),
          type: 'select' as const,
          options: ordered(current?.byPurpose?.[purpose]),
        })),
      ]}
      schema={SetPreferencesBody}
      toBody={(values) => {
        const byPurpose = Object.fromEntries(
          PURPOSES.flatMap((purpose) => {
            const channel = values[`byPurpose.${purpose}`];
            return channel ? [[purpose, channel]] : [];
          }),
        );
        return {
          ...(values.channel ? { channel: values.channel } : {}),
          ...(Object.keys(byPurpose).length > 0 ? { byPurpose } : {}),
        };
      }}
      submit={(body) => api.send('PUT', `${customerPath(profile.id)}/preferences`, body)}
      onDone={onDone}
    />
  );
}
