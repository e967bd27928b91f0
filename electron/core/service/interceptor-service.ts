// The composition root of the engine: settings → registry → project sources → supervisor, plus the
// API handlers, the upstream monitor, the one-instance lock and (optionally) the web dashboard.
// `interceptor serve` and the Electron main process both create exactly this.
import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AppSnapshot } from '../../../shared/api';
import { startDashboard, type Dashboard } from '../dashboard/dashboard-server';
import { JetBrainsSource } from '../discovery/jetbrains/jetbrains-source';
import { LedgerHost } from '../ledger/ledger-host';
import { PinnedSource } from '../discovery/pinned-source';
import { InterceptorError } from '../errors';
import { formatInternalError, type InternalErrorReport } from '../internal-errors';
import { acquireInstance, type InstanceHandle } from '../instance/instance-file';
import { ClientTokenSource, ensureClientToken, rotateClientToken } from '../access/client-token';
import { describeKeyWithheld, keyWithheldKey } from '../access/credentials';
import { clientTokenPathFor, openRegistry, parseReservedPorts, registryOptionsFrom, type PortRegistry } from '../registry';
import { describeApiKey } from '../settings/api-key-in-file';
import { effectiveSettings, assertSettingsEnvValid, type EffectiveSettingsResult } from '../settings/effective-settings';
import { openSettings, type SettingsStore } from '../settings/settings-store';
import { Supervisor } from '../supervisor/supervisor';
import { clientSetupFor, currentCli, type ClientSetup } from '../clients';
import { clientHost } from '../../../shared/format';
import type { SharedProxySettings } from '../supervisor/supervisor-types';
import { Throttle } from '../supervisor/throttle';
import { INTERCEPTOR_VERSION } from '../version';
import { platformFocusProvider } from '../attribution/focus/focus-provider';
import { IdePort } from '../ide-port/ide-port';
import { createApiHandlers } from './api-handlers-impl';
import type { FocusProvider } from '../attribution/focus/focus-provider';
import type { HostActions, InterceptorService, Notice, ServiceOptions } from './service-types';
import { rawPathFromEnv } from '../proxy/forwarding-env';
import { LiteLlmWatch } from './litellm-watch';
import { NoticeBoard } from './notice-board';
import { UpstreamMonitor } from './upstream-monitor';

const MIB = 1024 * 1024;

function proxySettingsFrom(result: EffectiveSettingsResult, tokens: ClientTokenSource, rawPath: boolean): SharedProxySettings {
  const v = result.values;
  return {
    host: v.bindHost.value,
    target: v.targetUrl.value,
    ...(v.apiKey.value ? { apiKey: v.apiKey.value } : {}),
    clientToken: () => tokens.current(),
    headerProfile: { ...v.headerProfile.value },
    allowedOrigins: [...v.allowedOrigins.value],
    bodyLimitBytes: v.bodyLimitMb.value * MIB,
    rawPath,
    captureUsage: v.usageLedger.value,
  };
}

/** Opens files with the OS's own opener when no host (Electron shell) provides one. */
function osReveal(folder: string, platform: NodeJS.Platform): Promise<void> {
  const command = platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer' : 'xdg-open';
  return new Promise((resolve, reject) => {
    const child = spawn(command, [folder], { stdio: 'ignore', detached: true });
    child.once('error', (error) => reject(new InterceptorError('INTERNAL', `cannot open ${folder}: ${command} failed (${error.message})`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

class Service implements InterceptorService {
  readonly handlers;
  readonly idePort: IdePort;
  private unwatchDiscovery: (() => void) | undefined;
  private readonly events = new EventEmitter<{ state: [AppSnapshot]; notice: [Notice]; 'internal-error': [InternalErrorReport] }>();
  private readonly stateThrottle = new Throttle(100, () => this.events.emit('state', this.snapshot()));
  private readonly monitor: UpstreamMonitor;
  private dashboard: Dashboard | undefined;
  private closing: Promise<void> | undefined;
  private readonly unsubscribers: Array<() => void> = [];
  private readonly noticeBoard = new NoticeBoard();
  private readonly ledger: LedgerHost;
  private readonly litellm = new LiteLlmWatch(
    (notice) => this.notice(notice),
    () => this.stateThrottle.poke(),
  );
  /** The last port each project had, to notice when one changes under its client files. */
  private readonly knownPorts = new Map<string, number>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly settings: SettingsStore,
    private effective: EffectiveSettingsResult,
    private registry: PortRegistry,
    readonly supervisor: Supervisor,
    private readonly pinned: PinnedSource,
    private jetbrains: JetBrainsSource | undefined,
    private readonly instance: InstanceHandle,
    private readonly host: HostActions,
    private readonly dashboardOptions: ServiceOptions['dashboard'],
    private readonly tokens: ClientTokenSource,
    private readonly cli: ServiceOptions['cli'],
    focus: FocusProvider,
  ) {
    this.events.setMaxListeners(0);
    this.ledger = new LedgerHost({
      registryFile: registry.file,
      target: () => this.effective.values.targetUrl.value,
      apiKey: () => this.effective.values.apiKey.value ?? undefined,
      onNotice: (message) => this.notice({ kind: 'usage-ledger', message }),
      onTotals: () => this.stateThrottle.poke(),
    });
    supervisor.on('request', (batch) => {
      for (const request of batch) this.ledger.record(request);
    });
    this.idePort = new IdePort({
      port: effective.values.idePort.value,
      range: effective.values.portRange.value,
      proxy: proxySettingsFrom(effective, tokens, rawPathFromEnv(env)),
      report: () => this.jetbrains?.report(),
      focus,
      // Registry mappings and open projects: an agent working inside one is attributed to it.
      knownProjects: () => this.supervisor.projectKeys(),
      onFocusUnavailable: (message) => this.notice({ kind: 'focus-unavailable', message: `The window in front cannot be read: ${message}` }),
    });
    this.idePort.on('changed', () => this.stateThrottle.poke());
    this.idePort.on('failed', (error) => this.notice({ kind: 'ide-port', message: `${error.message}${error.fix ? ` — ${error.fix}` : ''}` }));
    this.idePort.on('request', (entry) => {
      this.ledger.record(entry);
      this.litellm.seen(entry.project, entry);
    });
    this.watchDiscovery();
    this.handlers = createApiHandlers({
      supervisor,
      idePort: this.idePort,
      pinned,
      settings,
      effective: () => this.effective,
      applySettings: () => this.applySettings(),
      snapshot: () => this.snapshot(),
      host,
      dismissNotice: (id) => {
        const dismissed = this.noticeBoard.dismiss(id);
        if (dismissed) this.stateThrottle.poke();
        return dismissed;
      },
      clientToken: {
        file: tokens.file,
        get: () => tokens.current() ?? ensureClientToken(tokens.file),
        rotate: () => {
          const token = rotateClientToken(tokens.file);
          tokens.set(token);
          return token;
        },
      },
      ledger: this.ledger,
      clientSetup: () => this.clientSetup(),
    });
    this.monitor = new UpstreamMonitor({
      target: () => this.effective.values.targetUrl.value,
      active: () => supervisor.runningCount() > 0,
      onChange: (reachable) => supervisor.setUpstreamReachable(reachable),
      onOutage: (target, downFor) =>
        this.notice({
          kind: 'upstream-unreachable',
          message: `LiteLLM at ${target} has been unreachable for ${Math.round(downFor / 1000)} s; requests fail with 502 until it is back`,
        }),
      onInternalError: (error, where) => this.reportInternalError(error, `service: ${where}`),
    });
    supervisor.on('state-changed', () => {
      this.stateThrottle.poke();
      this.watchPortChanges();
    });
    supervisor.on('internal-error', (error, where) => this.reportInternalError(error, where));
    supervisor.on('request', (batch) => {
      for (const request of batch) this.litellm.seen(request.project, request);
    });
    supervisor.on('proxy-started', () => void this.monitor.check());
    supervisor.on('proxy-error', (project, error) => {
      if (error.code === 'PORT_IN_USE' || error.code === 'PORT_PERMISSION') {
        this.notice({ kind: error.code === 'PORT_IN_USE' ? 'port-in-use' : 'port-permission', project, message: error.message });
      }
    });
    const withheld = new Set<string>();
    supervisor.on('key-withheld', (project, peer) => {
      const key = keyWithheldKey(peer);
      if (withheld.has(key)) return;
      withheld.add(key);
      this.notice({ kind: 'key-withheld', project, message: describeKeyWithheld(peer, `the proxy of ${path.basename(project)}`) });
    });
    this.unsubscribers.push(
      settings.onChange(() => void this.applySettings().catch((error: unknown) => this.reportInternalError(error, 'service: applying changed settings'))),
    );
  }

  async start(): Promise<void> {
    try {
      await this.startUp(this.dashboardOptions);
    } catch (error) {
      await this.close({ graceMs: 0 });
      throw error;
    }
  }

  /** The IDE port shows the running IDEs as discovery changes, not only when a request comes. */
  private watchDiscovery(): void {
    this.unwatchDiscovery?.();
    this.unwatchDiscovery = this.jetbrains?.on('change', () => void this.idePort.refreshIdes());
  }

  private async startUp(dashboardOptions: ServiceOptions['dashboard']): Promise<void> {
    // Before any proxy starts, so the first requests are recorded.
    await this.ledger.configure(this.effective.values.usageLedger.value, this.effective.values.usageRetentionDays.value);
    await this.supervisor.start();
    await this.idePort.start();
    void this.idePort.refreshIdes();
    this.monitor.start();
    if (dashboardOptions) {
      this.dashboard = await startDashboard({
        handlers: this.handlers,
        subscribe: (listener) => this.onState(listener),
        getSnapshot: () => this.snapshot(),
        staticDir: dashboardOptions.staticDir,
        port: dashboardOptions.port ?? this.effective.values.dashboardPort.value,
        allowedOrigins: this.effective.values.allowedOrigins.value,
        onInternalError: (error, where) => this.reportInternalError(error, where),
      });
      await this.instance.update({ dashboardUrl: this.dashboard.url });
    }
    for (const problem of this.effective.problems) {
      this.notice({ kind: 'settings-invalid', message: problem.message });
    }
    // A stored key that cannot be read means LiteLLM refusing requests: say so now, not on the first 401.
    if (this.effective.values.apiKey.source !== 'env') {
      for (const problem of this.settings.problems()) {
        if (problem.key === 'apiKey' && problem.severity === 'error') this.notice({ kind: 'settings-invalid', message: problem.message });
      }
    }
    const view = this.supervisor.registryView();
    if (view?.readOnly && view.readOnlyReason) this.notice({ kind: 'registry-read-only', message: view.readOnlyReason });
  }

  private clientSetup(): ClientSetup {
    const argv = this.cli?.argv ?? currentCli();
    return clientSetupFor({
      registryFile: this.registry.file,
      host: clientHost(this.effective.values.bindHost.value),
      sharedPort: () => this.effective.values.idePort.value,
      ...(this.env.CODEX_HOME ? { codexHome: this.env.CODEX_HOME } : {}),
      ...(argv ? { cli: argv } : {}),
    });
  }

  /**
   * A project whose port changed (reassigned, or given a new one after a reset or a removal) may have
   * client files naming the old one: tell the user, once per change, with the way to rewrite them.
   */
  private watchPortChanges(): void {
    for (const state of this.supervisor.projects()) {
      if (state.port === null) continue;
      const before = this.knownPorts.get(state.project);
      this.knownPorts.set(state.project, state.port);
      if (before === undefined || before === state.port) continue;
      const { project, port } = state;
      void this.clientSetup()
        .staleFiles(project, port)
        .then((stale) => {
          if (stale.length === 0 || this.supervisor.projects().find((p) => p.project === project)?.port !== port) return;
          const files = stale.map((entry) => `${path.relative(project, entry.file)} (port ${entry.port})`).join(', ');
          this.notice({
            kind: 'client-files-stale',
            project,
            message: `${path.basename(project)} now uses port ${port}, but its client files still point at the old one: ${files}. Rewrite them here, or with \`interceptor setup\`.`,
          });
        })
        .catch(() => undefined);
    }
  }

  dashboardUrl(): string | undefined {
    return this.dashboard?.url;
  }

  apiKeyNote(): string | undefined {
    return describeApiKey(this.settings.apiKeyStorage(), this.effective.values.apiKey, this.settings.file);
  }

  /** Every internal error of the engine passes here: redacted, formatted, logged once. */
  reportInternalError(error: unknown, where: string): void {
    const secrets = [this.effective.values.apiKey.value, this.dashboard?.token].filter((secret): secret is string => Boolean(secret));
    const report = formatInternalError(error, where, secrets);
    if (this.events.listenerCount('internal-error') > 0) this.events.emit('internal-error', report);
    else console.error(`internal error in ${report.text}`);
  }

  onInternalError(listener: (report: InternalErrorReport) => void): () => void {
    this.events.on('internal-error', listener);
    return () => this.events.off('internal-error', listener);
  }

  private notice(notice: Notice): void {
    this.noticeBoard.add(notice);
    this.stateThrottle.poke();
    this.events.emit('notice', notice);
  }

  /** Re-reads settings and applies what changed to the running engine. */
  private async applySettings(): Promise<void> {
    const previous = this.effective;
    this.effective = effectiveSettings(this.settings.get(), this.env);
    const v = this.effective.values;
    const p = previous.values;
    // Pins may have been changed by another process (`interceptor open`/`close`).
    this.pinned.reload();
    await this.ledger.configure(v.usageLedger.value, v.usageRetentionDays.value);
    const proxySettings = proxySettingsFrom(this.effective, this.tokens, rawPathFromEnv(this.env));
    await this.supervisor.updateProxySettings(proxySettings);
    await this.idePort.updateProxySettings(proxySettings);
    await this.idePort.reconfigure(v.idePort.value, v.portRange.value);
    if (v.targetUrl.value !== p.targetUrl.value) this.litellm.reset();
    if (
      v.portRange.value.start !== p.portRange.value.start ||
      v.portRange.value.end !== p.portRange.value.end ||
      v.reservedPorts.value !== p.reservedPorts.value
    ) {
      this.registry = openRegistryFor(this.env, this.registry.file, this.effective);
      await this.supervisor.setRegistry(this.registry);
    }
    const detectionChanged =
      v.jetbrainsDetection.value !== p.jetbrainsDetection.value ||
      JSON.stringify(v.extraIdeConfigDirs.value) !== JSON.stringify(p.extraIdeConfigDirs.value);
    if (detectionChanged) {
      if (this.jetbrains) await this.supervisor.removeSource(this.jetbrains);
      this.jetbrains = v.jetbrainsDetection.value ? jetbrainsSourceFor(this.effective) : undefined;
      if (this.jetbrains) await this.supervisor.addSource(this.jetbrains);
      this.watchDiscovery();
      void this.idePort.refreshIdes();
    }
    this.stateThrottle.poke();
  }

  snapshot(): AppSnapshot {
    const view = this.supervisor.registryView();
    const range = view?.range ?? this.effective.values.portRange.value;
    return {
      version: INTERCEPTOR_VERSION,
      litellm: this.litellm.info(),
      projects: this.supervisor.projects().map((project) => {
        const today = this.ledger.todayOf(project.project);
        return today === undefined ? project : { ...project, usageToday: { ...today } };
      }),
      idePort: this.idePortState(),
      registry: {
        file: this.registry.file,
        range: { start: range.start, end: range.end },
        readOnly: view?.readOnly ?? false,
        ...(view?.readOnlyReason ? { readOnlyReason: view.readOnlyReason } : {}),
        warnings: view?.warnings ?? [],
      },
      detection: {
        enabled: this.jetbrains !== undefined,
        ides: (this.jetbrains?.ides() ?? []).map((ide) => ({
          product: ide.productName,
          ...(ide.version ? { version: ide.version } : {}),
          running: ide.running,
        })),
      },
      ...(this.dashboard ? { dashboardUrl: this.dashboard.origin } : {}),
      notices: this.noticeBoard.list(),
    };
  }

  /** The shared port's state, with today's spend of the projects it attributed by their git work tree. */
  private idePortState(): AppSnapshot['idePort'] {
    const state = this.idePort.state();
    if (state.portless === undefined) return state;
    return {
      ...state,
      portless: state.portless.map((project) => {
        const today = this.ledger.todayOf(project.project);
        return today === undefined ? project : { ...project, usageToday: { ...today } };
      }),
    };
  }

  onState(listener: (snapshot: AppSnapshot) => void): () => void {
    this.events.on('state', listener);
    return () => this.events.off('state', listener);
  }

  onNotice(listener: (notice: Notice) => void): () => void {
    this.events.on('notice', listener);
    return () => this.events.off('notice', listener);
  }

  close(options: { graceMs?: number } = {}): Promise<void> {
    this.closing ??= (async () => {
      this.monitor.stop();
      for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
      this.unwatchDiscovery?.();
      await this.dashboard?.close();
      await Promise.all([this.supervisor.stopAll(options), this.idePort.close(options)]);
      // After the proxies: the requests they finished while stopping are recorded too.
      await this.ledger.close();
      this.stateThrottle.cancel();
      this.settings.close();
      await this.instance.release();
    })();
    return this.closing;
  }
}

function openRegistryFor(env: NodeJS.ProcessEnv, file: string, effective: EffectiveSettingsResult): PortRegistry {
  const range = effective.values.portRange.value;
  // Effective settings already let the environment win; pass the result on as flags.
  const options = registryOptionsFrom(env, { registry: file, portMin: String(range.start), portMax: String(range.end) });
  return openRegistry({ ...options, reserved: parseReservedPorts(effective.values.reservedPorts.value || undefined) });
}

function jetbrainsSourceFor(effective: EffectiveSettingsResult): JetBrainsSource {
  return new JetBrainsSource({ extraConfigDirs: effective.values.extraIdeConfigDirs.value });
}

/**
 * Creates the engine (call start() to serve). Throws InterceptorError: INVALID_ENV for a bad variable, ALREADY_RUNNING when
 * another instance (app or `serve`) runs for this user, registry errors as they come.
 */
export async function createInterceptorService(options: ServiceOptions): Promise<InterceptorService> {
  const env = options.env;
  const registryFile = registryOptionsFrom(env, options.registryFile ? { registry: options.registryFile } : {}).file;
  const dir = path.dirname(registryFile);
  const settings = openSettings({ dir, watch: true, ...(options.keyVault ? { keyVault: options.keyVault } : {}) });
  const effective = effectiveSettings(settings.get(), env);
  try {
    assertSettingsEnvValid(effective);
    rawPathFromEnv(env);
  } catch (error) {
    settings.close();
    throw error;
  }

  const acquired = await acquireInstance({
    dir,
    info: { pid: process.pid, startedAt: Date.now(), version: INTERCEPTOR_VERSION, kind: options.kind },
  });
  if (!acquired.acquired) {
    settings.close();
    const where = acquired.existing.dashboardUrl ? `; dashboard at ${new URL(acquired.existing.dashboardUrl).origin}` : '';
    throw new InterceptorError('ALREADY_RUNNING', `Interceptor is already running (pid ${acquired.existing.pid})${where}`);
  }

  try {
    const platform = options.platform ?? process.platform;
    const registry = openRegistryFor(env, registryFile, effective);
    const tokens = new ClientTokenSource(clientTokenPathFor(registryFile));
    const pinned = new PinnedSource({
      load: () => settings.get().pinnedProjects ?? [],
      save: (paths) => void settings.update({ pinnedProjects: paths }),
    });
    const jetbrains = effective.values.jetbrainsDetection.value ? jetbrainsSourceFor(effective) : undefined;
    const supervisor = new Supervisor({
      registry,
      sources: jetbrains ? [pinned, jetbrains] : [pinned],
      proxy: proxySettingsFrom(effective, tokens, rawPathFromEnv(env)),
    });
    const host: HostActions = {
      revealFolder: options.host?.revealFolder ?? ((folder) => osReveal(folder, platform)),
      setStartAtLogin:
        options.host?.setStartAtLogin ??
        (async () => {
          throw new InterceptorError('INVALID_ARGUMENT', 'start at login is managed by the tray app; `interceptor serve` cannot register itself');
        }),
    };
    const focus = options.focus ?? (await platformFocusProvider(platform, env));
    return new Service(env, settings, effective, registry, supervisor, pinned, jetbrains, acquired.instance, host, options.dashboard, tokens, options.cli, focus);
  } catch (error) {
    settings.close();
    await acquired.instance.release();
    throw error;
  }
}
