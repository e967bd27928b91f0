// Exactly which headers a request from one project carries upstream, as core would send them now
// (secrets redacted). Reloads when the settings change, since the header profile decides them.
import type { SettingsView } from '../shared/settings-view';
import { useApp } from './app-context';
import { useApiLoad } from './use-api-load';

interface HeaderPreviewProps {
  /** A project's path, or null for the shared IDE port (what it would send right now). */
  project: string | null;
  /** Any change of settings (a new object) reloads the preview. */
  settings: SettingsView | null;
  headingLevel?: 'h3' | 'h4';
  /** Changes when the project's own state does (a new port changes its headers). */
  refreshKey?: string;
}

export function HeaderPreview({ project, settings, headingLevel = 'h4', refreshKey }: HeaderPreviewProps) {
  const { client } = useApp();
  const loaded = useApiLoad(() => (project === null ? client.api.previewIdePortHeaders() : client.api.previewHeaders({ project })), [project, settings, refreshKey]);
  const Heading = headingLevel;
  const preview = loaded.value;

  return (
    <section class="detail-section header-preview" aria-label="Headers sent upstream">
      <Heading>Headers sent upstream</Heading>
      {loaded.error !== null && <p class="inline-error">Could not preview the headers: {loaded.error}</p>}
      {preview === undefined && loaded.error === null && <p class="muted">Loading…</p>}
      {preview !== undefined && (
        <>
          {preview.attribution !== undefined && (
            <p class="muted">
              A request from {preview.attribution.ide ?? 'an IDE'} right now is attributed to{' '}
              <span class="mono wrap-anywhere">{preview.attribution.project ?? 'no project (unattributed)'}</span> by the rule{' '}
              <span class="tag">{preview.attribution.rule}</span>
            </p>
          )}
          <p class="muted">
            Requests go to <span class="mono wrap-anywhere">{preview.target}</span>
            {preview.headers.length === 0 ? ' with no identification headers.' : ' with these headers added:'}
          </p>
          {preview.headers.some((header) => header.toProvider) && (
            <p class="muted">
              LiteLLM logs all of them. Those marked “provider too” also reach the model provider (OpenAI, Anthropic…) when LiteLLM’s
              forward_client_headers_to_llm_api is on; “What identifies you” in the settings decides which are sent.
            </p>
          )}
          {preview.headers.length > 0 && (
            <dl class="header-list">
              {preview.headers.map((header, index) => (
                <div class="header-row" key={`${header.name}-${index}`}>
                  <dt class="mono">{header.name}</dt>
                  <dd
                    class={header.toProvider ? 'mono wrap-anywhere to-provider' : 'mono wrap-anywhere'}
                    title={header.toProvider ? 'LiteLLM sends this on to the model provider when forward_client_headers_to_llm_api is on' : undefined}
                  >
                    {header.value}
                    {header.redacted && <span class="tag">redacted</span>}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </>
      )}
    </section>
  );
}
