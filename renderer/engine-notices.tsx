// What the engine tells the user (a port taken, a request refused the key, LiteLLM unreachable...):
// every notice in the latest snapshot, each until dismissed. The snapshot is the truth: a notice
// dismissed in one window disappears from every other.
import type { EngineNotice } from '../shared/api';
import { useApp } from './app-context';

export function EngineNotices({ notices }: { notices: readonly EngineNotice[] }) {
  const { client, notices: page } = useApp();
  if (notices.length === 0) return null;
  const dismiss = async (id: number) => {
    const result = await client.api.dismissNotice({ id }).catch((error: unknown) => ({ ok: false as const, code: 'INTERNAL', message: String(error) }));
    if (!result.ok) page.showError(`Could not dismiss the notice: ${result.message}`);
  };
  // A project's port moved under its client files: rewriting them is the fix, one click away.
  const rewrite = async (notice: EngineNotice & { project: string }) => {
    const result = await client.api.rewriteClientFiles({ project: notice.project }).catch((error: unknown) => ({ ok: false as const, code: 'INTERNAL', message: String(error) }));
    if (!result.ok) {
      page.showError(`Could not rewrite the client files: ${result.message}`);
      return;
    }
    page.announce(`Rewrote ${result.value.written.length} client file${result.value.written.length === 1 ? '' : 's'} for port ${result.value.port}`);
    if (result.value.skipped.length > 0) page.showError(`Not changed: ${result.value.skipped.map((s) => s.reason).join('; ')}`);
    await dismiss(notice.id);
  };
  return (
    <section class="engine-notices" aria-label="Notices">
      {notices.map((notice) => (
        <div key={notice.id} class="banner banner-warn" data-notice-kind={notice.kind}>
          <p class="banner-text">{notice.message}</p>
          {notice.kind === 'client-files-stale' && notice.project !== undefined && (
            <button type="button" onClick={() => void rewrite({ ...notice, project: notice.project as string })}>
              Rewrite client files
            </button>
          )}
          <button type="button" class="quiet" onClick={() => void dismiss(notice.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </section>
  );
}
