import { Fragment } from 'preact';
import type { CustomerProfile } from '#core/customer.ts';
import type { SegmentSeen } from '../../api/conversation.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { useLanguage } from '../../i18n/language-context.ts';
import { customerMessages } from './customer.messages.ts';

export const PURPOSE_LABEL = {
  transactional: 'purposeTransactional',
  service: 'purposeService',
  marketing: 'purposeMarketing',
} as const;
export const CHANNEL_LABEL = {
  email: 'channelEmail',
  sms: 'channelSms',
  letter: 'channelLetter',
  phone: 'channelPhone',
} as const;

/** Returns the address's fields as one line (a missing field is simply left out), or undefined. */
function addressLineOf(address: CustomerProfile['address']): string | undefined {
  if (!address) return undefined;
  const place = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.line1, address.line2, place, address.country].filter(Boolean).join(', ') || undefined;
}

/** Who the customer is and what they agreed to: profile, consents (with when and where), preferences. */
export function ProfilePanel({ profile, segment }: { profile: CustomerProfile; segment?: SegmentSeen }) {
  const t = customerMessages.useT();
  const { language } = useLanguage();
  const fact = (value: string | undefined) => value ?? <span class="hint">{t('notGiven')}</span>;
  const byPurpose = Object.entries(profile.preferences?.byPurpose ?? {}) as [
    keyof typeof PURPOSE_LABEL,
    keyof typeof CHANNEL_LABEL,
  ][];
  return (
    <>
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">{t('profile')}</h2>
        <dl class="facts">
          <dt>{t('customerId')}</dt>
          <dd>{profile.id}</dd>
          <dt>{t('locale')}</dt>
          <dd>{profile.locale}</dd>
          <dt>{t('country')}</dt>
          <dd>
            {profile.country}
            {profile.region ? ` (${profile.region})` : ''}
          </dd>
          <dt>{t('timezone')}</dt>
          <dd>{fact(profile.timezone)}</dd>
          <dt>{t('email')}</dt>
          <dd>{fact(profile.email)}</dd>
          <dt>{t('phone')}</dt>
          <dd>{fact(profile.phone)}</dd>
          <dt>{t('address')}</dt>
          <dd>{fact(addressLineOf(profile.address))}</dd>
          <dt>{t('birthDate')}</dt>
          <dd>{profile.birthDate ? formatDate(profile.birthDate, language) : fact(undefined)}</dd>
          <dt>{t('segment')}</dt>
          <dd class="segment">
            {segment
              ? t('segmentSeen', {
                  segment: segment.segment,
                  why: segment.why,
                  at: formatDateTime(segment.at, language),
                })
              : t('noSegmentYet')}
          </dd>
        </dl>
      </section>
      <section aria-labelledby="consents-title">
        <h2 id="consents-title">{t('consents')}</h2>
        {profile.consents && profile.consents.length > 0 ? (
          <ul class="consents">
            {[...profile.consents]
              .sort((a, b) => b.at.localeCompare(a.at))
              .map((consent) => (
                <li key={`${consent.channel}-${consent.purpose}-${consent.at}`}>
                  {t('consentLine', {
                    channel: t(CHANNEL_LABEL[consent.channel]),
                    purpose: t(PURPOSE_LABEL[consent.purpose]),
                    state: consent.granted ? t('consentGranted') : t('consentWithdrawn'),
                    at: formatDateTime(consent.at, language),
                    source: consent.source,
                  })}
                </li>
              ))}
          </ul>
        ) : (
          <p class="hint">{t('noConsents')}</p>
        )}
      </section>
      <section aria-labelledby="preferences-title">
        <h2 id="preferences-title">{t('preferences')}</h2>
        <dl class="facts">
          <dt>{t('preferredChannel')}</dt>
          <dd>
            {profile.preferences?.channel ? t(CHANNEL_LABEL[profile.preferences.channel]) : t('noPreference')}
          </dd>
          {byPurpose.map(([purpose, channel]) => (
            <Fragment key={purpose}>
              <dt>{t('forPurpose', { purpose: t(PURPOSE_LABEL[purpose]) })}</dt>
              <dd>{t(CHANNEL_LABEL[channel])}</dd>
            </Fragment>
          ))}
        </dl>
      </section>
    </>
  );
}
