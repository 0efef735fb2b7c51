import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/api-client.ts';
import { uiMessages } from './ui.messages.ts';

export function Loading() {
  const t = uiMessages.useT();
  return (
    <p class="state loading" role="status" aria-live="polite">
      {t('loading')}
    </p>
  );
}

export function Empty({ children }: { children?: ComponentChildren }) {
  const t = uiMessages.useT();
  return <p class="state empty">{children ?? t('empty')}</p>;
}

/** The server's plain message, as it wrote it; a 403 says plainly that this is not allowed. */
export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const t = uiMessages.useT();
  return (
    <div class="state error" role="alert">
      <p>
        <strong>{error.status === 403 ? t('forbidden') : t('errorTitle')}</strong>
      </p>
      <p>{error.message}</p>
      {onRetry && error.status !== 403 ? (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}
