// The API contract implemented over the engine. Arguments arrive validated (core/api/dispatch.ts);
// each handler is a thin translation to the supervisor, the pinned source or the settings store.
import type { HeaderPreview, ProjectState, RecentRequest } from '../../../shared/api';
import type { IdePort } from '../ide-port/ide-port';
import type { ApiHandlers } from '../api/api-handlers';
import type { ClientSetup } from '../clients';
import type { PinnedSource } from '../discovery/pinned-source';
import type { LedgerHost } from '../ledger/ledger-host';
import { disabledOverview, usageOverview } from '../ledger/usage-overview';
import { InterceptorError } from '../errors';
import { buildIdentityHeaders, parseTargetUrl, type HeaderProfile, type ProxyIdentity, type RequestEntry } from '../proxy';
import { normalizeProjectPath } from '../registry';
import { settingsView, type EffectiveSettingsResult } from '../settings/effective-settings';
import type { SettingsStore } from '../settings/settings-store';
import type { Supervisor } from '../supervisor/supervisor';
import type { AppSnapshot } from '../../../shared/api';
import type { HostActions } from './service-types';

export interface HandlerDeps {
  supervisor: Supervisor;
  idePort: IdePort;
  pinned: PinnedSource;
  settings: SettingsStore;
  effective: () => EffectiveSettingsResult;
  /** Applies a settings change at once (the file watcher would too, a little later). */
  applySettings: () => Promise<void>;
  snapshot: () => AppSnapshot;
  host: HostActions;
  /** Removes a shown notice; false when there was none of that id. */
  dismissNotice: (id: number) => boolean;
  clientToken: { file: string; get(): string; rotate(): string };
  ledger: LedgerHost;
  /** The client setup in force (its host follows the settings). */
  clientSetup: () => ClientSetup;
}

/** What LiteLLM passes on to the model provider when forward_client_headers_to_llm_api is on. */
function forwardedByLiteLlm(name: string): boolean {
  return name.startsWith('x-') && !name.startsWith('x-stainless');
}

/** The headers a request with this identity carries upstream, secrets redacted. */
function headerPreview(identity: ProxyIdentity, profile: HeaderProfile, targetUrl: string, apiKey: string | undefined): HeaderPreview {
  const target = parseTargetUrl(targetUrl);
  const headers: HeaderPreview['headers'] = [{ name: 'host', value: target.hostHeader }];
  for (const [name, value] of Object.entries(buildIdentityHeaders(identity, profile, {}).headers)) {
    // LiteLLM's _get_forwardable_headers: every x-… header but x-stainless-….
    headers.push({ name, value, ...(forwardedByLiteLlm(name) ? { toProvider: true } : {}) });
  }
  headers.push(
    apiKey
      ? {
          name: 'authorization',
          value: 'Bearer (the configured key, for requests that carry the local client token or send no key from your own account)',
          redacted: true,
        }
      : { name: 'authorization', value: "(the client's own, passed through unchanged)" },
  );
  return { target: target.url, headers };
}

function recentRequest(entry: RequestEntry): RecentRequest {
  return {
    at: entry.at,
    method: entry.method,
    path: entry.path,
    status: entry.status,
    durationMs: entry.durationMs,
    model: entry.model ?? null,
    streamed: entry.streamed,
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.problem ? { problem: { problem: entry.problem.problem, fix: entry.problem.fix } } : {}),
    // Decided per request (the IDE port): where it went and by which rule.
    ...(entry.attribution !== 'port' ? { attribution: entry.attribution, ...(entry.project !== undefined ? { project: entry.project } : {}) } : {}),
    ...(entry.decidedBy?.process !== undefined ? { process: entry.decidedBy.process } : {}),
    ...(entry.decidedBy?.folder !== undefined ? { folder: entry.decidedBy.folder } : {}),
  };
}

export function createApiHandlers(deps: HandlerDeps): ApiHandlers {
  const { supervisor, pinned, settings } = deps;

  function stateOf(project: string): ProjectState {
    const state = supervisor.projects().find((p) => p.project === project);
    if (!state) throw new InterceptorError('NOT_FOUND', `${project} has no mapping and is not open`);
    return state;
  }

  /** A project the engine knows, with the port its client files should name. */
  async function withPort(project: string): Promise<{ project: string; port: number }> {
    const key = await normalizeProjectPath(project);
    const state = stateOf(key);
    if (state.port === null) throw new InterceptorError('NOT_FOUND', `${key} has no port yet; start it first`);
    return { project: key, port: state.port };
  }

  function known(project: string): void {
    if (!supervisor.projects().some((p) => p.project === project)) {
      throw new InterceptorError('NOT_FOUND', `${project} has no mapping and is not open`);
    }
  }

  return {
    getSnapshot: () => deps.snapshot(),

    listMappings: () =>
      supervisor
        .projects()
        .filter((p): p is ProjectState & { port: number } => p.port !== null)
        .map((p) => ({ project: p.project, port: p.port })),

    async removeMapping(target) {
      const removed = await supervisor.removeMapping(target);
      // A pinned folder that loses its mapping is no longer wanted: unpin it too.
      await pinned.unpin(removed.project);
      return removed;
    },

    resetRegistry: () => supervisor.resetRegistry(),

    startProject: async ({ project }) => {
      const key = await normalizeProjectPath(project);
      known(key);
      return supervisor.startProject(key);
    },

    stopProject: async ({ project }) => {
      const key = await normalizeProjectPath(project);
      known(key);
      return supervisor.stopProject(key);
    },

    async openProjectFolder({ path }) {
      const key = await normalizeProjectPath(path);
      await pinned.pin(key);
      await supervisor.refreshSources();
      return supervisor.startProject(key);
    },

    reassignPort: async ({ project }) => {
      const key = await normalizeProjectPath(project);
      known(key);
      return supervisor.reassignPort(key);
    },

    async revealFolder({ project }) {
      // Only folders the registry or a source knows: the page cannot make us open arbitrary paths.
      const key = await normalizeProjectPath(project);
      known(key);
      await deps.host.revealFolder(key);
      return null;
    },

    getSettings: () => settingsView(settings.file, deps.effective(), settings.problems()),

    async updateSettings(update) {
      // Start at login is the host's to do (Electron login items, XDG autostart): do it first, so a
      // host that cannot (headless serve) refuses the change instead of saving a setting that lies.
      if (typeof update.startAtLogin === 'boolean' && update.startAtLogin !== deps.effective().values.startAtLogin.value) {
        await deps.host.setStartAtLogin(update.startAtLogin);
      }
      settings.update(update);
      await deps.applySettings();
      return settingsView(settings.file, deps.effective(), settings.problems());
    },

    async previewHeaders({ project }): Promise<HeaderPreview> {
      const key = await normalizeProjectPath(project);
      const state = stateOf(key);
      const proxy = supervisor.proxyOf(key);
      const shared = supervisor.proxySettingsNow();
      const config = proxy?.config();
      const identity = config?.identity ?? { projectPath: key, port: state.port ?? 0 };
      return headerPreview(identity, config?.headerProfile ?? shared.headerProfile, config?.target.url ?? shared.target, config?.apiKey ?? shared.apiKey);
    },

    previewIdePortHeaders(): HeaderPreview {
      const preview = deps.idePort.preview();
      const { decision, ide } = preview;
      return {
        ...headerPreview(preview.identity, preview.headerProfile, preview.target, preview.apiKey),
        attribution: {
          project: decision.project ?? null,
          rule: decision.rule,
          ...(ide ? { ide: ide.version ? `${ide.productName} ${ide.version} (pid ${ide.pid})` : `${ide.productName} (pid ${ide.pid})` } : {}),
        },
      };
    },

    getIdePortRequests: () => deps.idePort.recent().map(recentRequest),

    dismissNotice({ id }) {
      if (!deps.dismissNotice(id)) throw new InterceptorError('NOT_FOUND', `no notice ${id} is shown (already dismissed?)`);
      return null;
    },

    getClientToken: () => ({ token: deps.clientToken.get(), file: deps.clientToken.file }),

    rotateClientToken: () => ({ token: deps.clientToken.rotate(), file: deps.clientToken.file }),

    async previewClientSetup({ project, clients, model }) {
      const target = await withPort(project);
      return (await deps.clientSetup().plan({ ...target, ...(clients ? { clients } : {}), ...(model !== undefined ? { model } : {}) })).preview;
    },

    async applyClientSetup({ project, clients, model }) {
      const target = await withPort(project);
      return deps.clientSetup().apply({ ...target, ...(clients ? { clients } : {}), ...(model !== undefined ? { model } : {}) });
    },

    async undoClientSetup({ project }) {
      const key = await normalizeProjectPath(project);
      known(key);
      return deps.clientSetup().undo(key);
    },

    async rewriteClientFiles({ project }) {
      const target = await withPort(project);
      const setup = deps.clientSetup();
      const clients = [...new Set((await setup.staleFiles(target.project, target.port)).map((file) => file.client))];
      if (clients.length === 0) return { ...target, written: [], skipped: [], excluded: [], notes: [] };
      return setup.apply({ ...target, clients });
    },

    async getRecentRequests({ project }): Promise<RecentRequest[]> {
      const key = await normalizeProjectPath(project);
      return supervisor.recentRequests(key).map(recentRequest);
    },

    getUsage() {
      const { ledger } = deps;
      const open = ledger.current();
      if (open === undefined) return disabledOverview(ledger.file, ledger.raised(), Date.now());
      return usageOverview(open.store.db, Date.now(), ledger.file, ledger.raised());
    },
  };
}
