// What a new user sees before any project has a port: the two ways in, and what to do next.
import type { AppSnapshot } from '../shared/api';

interface EmptyStateProps {
  detection: AppSnapshot['detection'];
  onOpenFolder: () => void;
  onOpenSettings: () => void;
}

export function EmptyState({ detection, onOpenFolder, onOpenSettings }: EmptyStateProps) {
  return (
    <section class="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No projects yet</h2>
      <p>Every project folder gets its own stable port here. To serve one:</p>
      <ol class="steps">
        <li>
          <strong>Open a project in a JetBrains IDE.</strong>{' '}
          {detection.enabled ? (
            <>Detection is on, so it appears here by itself within a few seconds.</>
          ) : (
            <>
              Detection is off;{' '}
              <button type="button" class="link" onClick={onOpenSettings}>
                turn it on in Settings
              </button>
              .
            </>
          )}
          <p class="step-alt">
            Or serve any folder, for any IDE:{' '}
            <button type="button" class="primary" onClick={onOpenFolder}>
              Open project folder…
            </button>
          </p>
        </li>
        <li>
          <strong>Copy the project’s base URL</strong> (<span class="mono">http://127.0.0.1:&lt;port&gt;/v1</span>) with its Copy
          button.
        </li>
        <li>
          <strong>Paste it into your IDE’s OpenAI-compatible provider</strong>: in JetBrains AI Assistant, Settings › Tools › AI
          Assistant › Models; “Client setup…” has ready-made snippets for Continue and ProxyAI too.
        </li>
      </ol>
    </section>
  );
}
