// The page's three ways of telling the user something: a polite live region for confirmations, an
// alert for failures, and a kept notice for facts worth reading twice (where a backup went).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Notices } from './app-context';

const STATUS_CLEARS_AFTER_MS = 6000;

interface NoticeState {
  status: string;
  error: string | null;
  notice: string | null;
}

export function useNotices(): [NoticeState, Notices, { dismissError(): void; dismissNotice(): void }] {
  const [state, setState] = useState<NoticeState>({ status: '', error: null, notice: null });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const notices = useMemo<Notices>(
    () => ({
      announce(message) {
        setState((current) => ({ ...current, status: message }));
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setState((current) => ({ ...current, status: '' })), STATUS_CLEARS_AFTER_MS);
      },
      showError(message) {
        setState((current) => ({ ...current, error: message }));
      },
      showNotice(message) {
        setState((current) => ({ ...current, notice: message }));
      },
    }),
    [],
  );
  const dismiss = useMemo(
    () => ({
      dismissError: () => setState((current) => ({ ...current, error: null })),
      dismissNotice: () => setState((current) => ({ ...current, notice: null })),
    }),
    [],
  );
  return [state, notices, dismiss];
}

interface NoticeAreaProps {
  state: NoticeState;
  onDismissError: () => void;
  onDismissNotice: () => void;
}

export function NoticeArea({ state, onDismissError, onDismissNotice }: NoticeAreaProps) {
  return (
    <div class="notices">
      {/* Always in the page: a live region announces changes, not its own arrival. */}
      <p class="status-line" role="status" aria-live="polite">
        {state.status}
      </p>
      <div role="alert" class="alert-slot">
        {state.error !== null && (
          <div class="banner banner-error">
            <p class="banner-text">{state.error}</p>
            <button type="button" class="quiet" onClick={onDismissError}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      {state.notice !== null && (
        <div class="banner banner-info">
          <p class="banner-text">{state.notice}</p>
          <button type="button" class="quiet" onClick={onDismissNotice}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
