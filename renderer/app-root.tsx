// The window: a header with the two views, the notices, and the view itself. Holds no copy of the
// truth beyond the latest snapshot and settings view the main process sent.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { AppSnapshot } from '../shared/api';
import type { SettingsView } from '../shared/settings-view';
import { AppContext, failureText, useApp } from './app-context';
import type { Client } from './client';
import type { ConnectionState } from './http-api';
import { EngineNotices } from './engine-notices';
import { litellmLabel } from './labels';
import { NoticeArea, useNotices } from './notice-area';
import { useOpenFolder } from './open-folder';
import { ProjectsView } from './projects-view';
import { SettingsPanel } from './settings-panel';
import { UsageView } from './usage-view';
import { useSnapshot } from './use-snapshot';

type View = 'projects' | 'usage' | 'settings';

export function App({ client }: { client: Client }) {
  const [noticeState, notices, dismiss] = useNotices();
  const context = useMemo(() => ({ client, notices }), [client, notices]);
  return (
    <AppContext.Provider value={context}>
      <Shell notices={<NoticeArea state={noticeState} onDismissError={dismiss.dismissError} onDismissNotice={dismiss.dismissNotice} />} />
    </AppContext.Provider>
  );
}

function useSettings(): { settings: SettingsView | null; error: string | null; reload: () => void; replace: (view: SettingsView) => void } {
  const { client } = useApp();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    client.api
      .getSettings()
      .then((result) => {
        if (result.ok) {
          setSettings(result.value);
          setError(null);
        } else {
          setError(result.message);
        }
      })
      .catch((thrown: unknown) => setError(thrown instanceof Error ? thrown.message : String(thrown)));
  }, [client]);
  useEffect(reload, [reload]);
  return { settings, error, reload, replace: setSettings };
}

function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  if (connection === 'reconnecting') {
    return (
      <div class="banner banner-warn" role="status">
        <p class="banner-text">Lost the connection to Interceptor; reconnecting… What you see may be out of date.</p>
      </div>
    );
  }
  if (connection === 'closed') {
    return (
      <div class="banner banner-error" role="alert">
        <p class="banner-text">
          Interceptor refused this page’s connection. If it was restarted, open the dashboard again with the address it printed.
        </p>
      </div>
    );
  }
  return null;
}

function Footer({ snapshot }: { snapshot: AppSnapshot }) {
  const { registry, detection } = snapshot;
  const ides = detection.ides.map((ide) => `${ide.product}${ide.version ? ` ${ide.version}` : ''}${ide.running ? ' (running)' : ''}`);
  return (
    <footer class="footer">
      <p>
        Registry <span class="mono wrap-anywhere">{registry.file}</span> · ports {registry.range.start}–{registry.range.end}
      </p>
      <p>
        JetBrains detection {detection.enabled ? 'on' : 'off'}
        {detection.enabled && (ides.length > 0 ? `: ${ides.join(', ')}` : ': no IDE found yet')} · Interceptor {snapshot.version} ·{' '}
        <span class={snapshot.litellm?.dropsClientTags ? 'text-bad' : undefined} data-testid="litellm-version">
          {litellmLabel(snapshot.litellm)}
        </span>
      </p>
    </footer>
  );
}

function Shell({ notices }: { notices: ComponentChildren }) {
  const { client } = useApp();
  const { snapshot, loadError, connection } = useSnapshot(client);
  const settings = useSettings();
  const [view, setView] = useState<View>('projects');
  const openFolder = useOpenFolder();
  const detectionEnabled = snapshot?.detection.enabled;

  // Settings can change elsewhere (the tray's checkboxes, the CLI, an editor): reload on the way in.
  const reloadSettings = settings.reload;
  useEffect(() => {
    if (view === 'settings') reloadSettings();
  }, [view, detectionEnabled, reloadSettings]);

  useEffect(() => {
    const running = snapshot?.projects.filter((project) => project.status === 'running').length ?? 0;
    document.title = running > 0 ? `LiteLLM Interceptor (${running} running)` : 'LiteLLM Interceptor';
  }, [snapshot]);

  const show = (next: View) => {
    setView(next);
    document.getElementById('main')?.focus();
  };

  return (
    <div class="app">
      <header class="topbar">
        <h1 class="brand">LiteLLM Interceptor</h1>
        <nav class="views" aria-label="Views">
          <button type="button" class="tab" aria-current={view === 'projects' ? 'page' : undefined} onClick={() => show('projects')}>
            Projects
          </button>
          <button type="button" class="tab" aria-current={view === 'usage' ? 'page' : undefined} onClick={() => show('usage')}>
            Usage
          </button>
          <button type="button" class="tab" aria-current={view === 'settings' ? 'page' : undefined} onClick={() => show('settings')}>
            Settings
          </button>
        </nav>
      </header>
      <ConnectionBanner connection={connection} />
      {notices}
      {snapshot !== null && <EngineNotices notices={snapshot.notices} />}
      <main id="main" tabIndex={-1} class="main">
        {snapshot === null ? (
          loadError === null ? (
            <p class="muted loading">Connecting to Interceptor…</p>
          ) : (
            <div class="banner banner-error" role="alert">
              <p class="banner-text">{failureText('load the projects', loadError)}</p>
            </div>
          )
        ) : view === 'projects' ? (
          <ProjectsView snapshot={snapshot} settings={settings.settings} onOpenFolder={openFolder.open} onOpenSettings={() => show('settings')} />
        ) : view === 'usage' ? (
          <UsageView snapshot={snapshot} onOpenSettings={() => show('settings')} />
        ) : settings.settings === null ? (
          settings.error === null ? (
            <p class="muted loading">Loading settings…</p>
          ) : (
            <div class="banner banner-error" role="alert">
              <p class="banner-text">{failureText('load the settings', settings.error)}</p>
              <button type="button" onClick={settings.reload}>
                Try again
              </button>
            </div>
          )
        ) : (
          <SettingsPanel settings={settings.settings} projects={snapshot.projects} idePort={snapshot.idePort} onSaved={settings.replace} />
        )}
      </main>
      {snapshot !== null && <Footer snapshot={snapshot} />}
      {openFolder.dialog}
    </div>
  );
}
