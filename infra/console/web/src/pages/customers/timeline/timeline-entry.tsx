import type { ConversationItem } from '../../../api/conversation.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { useLanguage } from '../../../i18n/language-context.ts';
import { EmailFrame } from './email-frame.tsx';
import { timelineMessages } from './timeline.messages.ts';

type Kind = 'decision' | 'message' | 'journey' | 'event' | 'delivery' | 'reply' | 'action' | 'hand-over';

const KIND_LABEL = {
  decision: 'kindDecision',
  message: 'kindMessage',
  journey: 'kindJourney',
  event: 'kindEvent',
  delivery: 'kindDelivery',
  reply: 'kindReply',
  action: 'kindAction',
  'hand-over': 'kindHandOver',
} as const;

/** What a person calls the line: a journey line that escalated is a hand-over. */
export function kindOf(item: ConversationItem): Kind {
  if (item.outcome === 'escalated' && item.kind === 'journey') return 'hand-over';
  const kind = item.kind as string;
  return kind in KIND_LABEL ? (kind as Kind) : 'event';
}

/** One line of the timeline: what happened, when, by whom, why, and the message itself. */
export function TimelineEntry({ item }: { item: ConversationItem }) {
  const t = timelineMessages.useT();
  const { language } = useLanguage();
  const kind = kindOf(item);
  const channel = item.channel ? t(item.channel === 'email' ? 'email' : 'sms') : undefined;
  return (
    <li class={`kind-${kind}`} data-kind={kind} data-outcome={item.outcome}>
      <p class="meta">
        <time dateTime={item.at}>{formatDateTime(item.at, language)}</time> · {t(KIND_LABEL[kind])}
        {channel ? ` · ${channel}` : ''}
        {item.actor ? ` · ${t('by', { actor: item.actor })}` : ''}
      </p>
      <p class="summary">{item.summary}</p>
      {item.reasons && item.reasons.length > 0 ? (
        <div class="reasons-block">
          <span class="visually-hidden">{t('reasons')}</span>
          <ul class="reasons">
            {item.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <MessageBody item={item} />
    </li>
  );
}

function MessageBody({ item }: { item: ConversationItem }) {
  const t = timelineMessages.useT();
  if (item.kind === 'reply') {
    return item.body ? (
      <p class="sms-bubble inbound">
        <span class="visually-hidden">{t('inbound')}: </span>
        {item.body.text}
      </p>
    ) : null;
  }
  if (item.kind !== 'message' || item.outcome !== 'sent') return null;
  if (!item.body) return <p class="hint">{t('noBody')}</p>;
  if (item.channel === 'sms') return <p class="sms-bubble">{item.body.text}</p>;
  const subject = item.body.subject ?? item.templateId ?? '';
  return (
    <div class="email">
      {item.body.subject ? <p class="email-subject">{t('subject', { subject: item.body.subject })}</p> : null}
      <EmailFrame body={item.body} title={t('emailFrame', { subject })} lang={item.locale ?? 'nl'} />
    </div>
  );
}
