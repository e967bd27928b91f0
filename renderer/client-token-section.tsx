// The local client token: what a client sends instead of the LiteLLM key. Shown with a copy button
// and a rotate button; clients are best pointed at `interceptor token` rather than given the text.
import { useState } from 'preact/hooks';
import type { ClientTokenView } from '../shared/api';
import { useApp } from './app-context';
import { CopyButton } from './copy-button';
import { useApiLoad } from './use-api-load';

export function ClientTokenSection() {
  const { client, notices } = useApp();
  const loaded = useApiLoad(() => client.api.getClientToken(), []);
  const [rotated, setRotated] = useState<ClientTokenView | null>(null);
  const [busy, setBusy] = useState(false);
  const view = rotated ?? loaded.value ?? null;

  const rotate = async () => {
    setBusy(true);
    try {
      const result = await client.api.rotateClientToken().catch((error: unknown) => ({ ok: false as const, code: 'INTERNAL', message: String(error) }));
      if (!result.ok) {
        notices.showError(`The token was not rotated: ${result.message}`);
        return;
      }
      setRotated(result.value);
      notices.announce('Client token rotated: clients holding the old one no longer get the key');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="group client-token" aria-labelledby="client-token-title">
      <h3 id="client-token-title" class="group-title">
        Local client token
      </h3>
      <p class="muted" id="client-token-hint">
        Clients send this token where they would send an API key; Interceptor swaps it for your LiteLLM key. Requests without it get your key only
        when they come from your own account (Linux). Prefer pointing a client at <code>interceptor token</code> (e.g. Claude Code&apos;s apiKeyHelper)
        over pasting the text.
      </p>
      {view === null ? (
        <p class="muted">{loaded.error !== null ? `Could not read the token: ${loaded.error}` : 'Loading…'}</p>
      ) : (
        <div class="token-row">
          <code class="token-text" data-testid="client-token">
            {view.token}
          </code>
          <CopyButton text={view.token} label="Copy token" what="the client token" describedBy="client-token-hint" />
          <button type="button" onClick={() => void rotate()} disabled={busy}>
            Rotate
          </button>
        </div>
      )}
    </section>
  );
}
