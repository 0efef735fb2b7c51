import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../../api/api-client.ts';
import { useApi } from '../../../api/api-context.ts';
import { type ConversationItem, type ConversationPage, conversationPath } from '../../../api/conversation.ts';
import { Empty, ErrorState, Loading } from '../../../ui/states.tsx';
import { timelineMessages } from './timeline.messages.ts';
import { TimelineEntry } from './timeline-entry.tsx';

/**
 * The customer's one conversation across channels, newest first, a page at a time. `version` reloads
 * the newest page (after an action, so its audit line shows).
 */
export function Timeline({
  customerId,
  version,
  onNewest,
}: {
  customerId: string;
  version: number;
  /** Called with the newest page each time it loads (the page reads the latest decision from it). */
  onNewest?: (items: ConversationItem[]) => void;
}) {
  const t = timelineMessages.useT();
  const api = useApi();
  const [items, setItems] = useState<ConversationItem[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError>();
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    let live = true;
    api.get<ConversationPage>(conversationPath(customerId)).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setFailure(undefined);
        onNewest?.(page.items);
      },
      (error: unknown) =>
        live && setFailure(error instanceof ApiError ? error : new ApiError(0, String(error))),
    );
    return () => {
      live = false;
    };
  }, [api, customerId, version, onNewest]);

  async function loadOlder() {
    if (!cursor) return;
    setLoadingOlder(true);
    try {
      const page = await api.get<ConversationPage>(conversationPath(customerId, cursor));
      setItems((current) => [...(current ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError(0, String(error)));
    } finally {
      setLoadingOlder(false);
    }
  }

  return (
    <section class="timeline-section" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('title')}</h2>
      <p class="hint">{t('intro')}</p>
      {failure ? <ErrorState error={failure} /> : null}
      {items === undefined ? (
        failure ? null : (
          <Loading />
        )
      ) : items.length === 0 ? (
        <Empty>{t('empty')}</Empty>
      ) : (
        <ol class="timeline">
          {items.map((item, index) => (
            <TimelineEntry key={item.id ?? `${item.at}-${index}`} item={item} />
          ))}
        </ol>
      )}
      {cursor ? (
        <button type="button" class="secondary" disabled={loadingOlder} onClick={loadOlder}>
          {loadingOlder ? t('loadingOlder') : t('loadOlder')}
        </button>
      ) : null}
    </section>
  );
}
