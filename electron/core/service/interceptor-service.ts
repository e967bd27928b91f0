// The composition root of the engine: settings → registry → project sources → supervisor, plus the
// API handlers, the upstream monitor, the one-instance lock and (optionally) the web dashboard.
// `interceptor serve` and the Electron main process both create exactly this.
import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AppSnapshot } from '../../../shared/api';
import { startDashboard, type Dashboard } from '../dashboard/dashboard-server';
import { JetBrainsSource } from '../discovery/jetbrains/jetbrains-source';
import { PinnedSource } from '../discovery/pinned-source';
import { InterceptorError } from '../errors';
import { acquireInstance, type InstanceHandle } from '../instance/instance-file';
import { ClientTokenSource, ensureClientToken, rotateClientToken } from '../access/client-token';
import { describeKeyWithheld, keyWithheldKey } from '../access/credentials';
import { clientTokenPathFor, openRegistry, parseReservedPorts, registryOptionsFrom, type PortRegistry } from '../registry';
import { effectiveSettings, assertSettingsEnvValid, type EffectiveSettingsResult } from '../settings/effective-settings';
import { openSettings, type SettingsStore } from '../settings/settings-store';
import { Supervisor } from '../supervisor/supervisor';
import type { SharedProxySettings } from '../supervisor/supervisor-types';
import { Throttle } from '../supervisor/throttle';
import { INTERCEPTOR_VERSION } from '../version';
import { platformFocusProvider } from '../attribution/focus/focus-provider';
import { IdePort } from '../ide-port/ide-port';
import { createApiHandlers } from './api-handlers-impl';
import type { FocusProvider } from '../attribution/focus/focus-provider';
import type { HostActions, InterceptorService, Notice, ServiceOptions } from './service-types';
import { NoticeBoard } from './notice-board';
import { UpstreamMonitor } from './upstream-monitor';

const MIB = 1024 * 1024;

function proxySettingsFrom(result: EffectiveSettingsResult, tokens: ClientTokenSource): SharedProxySettings {
  const v = result.values;
  return {
    host: v.bindHost.value,
    target: v.targetUrl.value,
    ...(v.apiKey.value ? { apiKey: v.apiKey.value } : {}),
    clientToken: () => tokens.current(),
    headerProfile: { ...v.headerProfile.value },
    allowedOrigins: [...v.allowedOrigins.value],
    bodyLimitBytes: v.bodyLimitMb.value * MIB,
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
  private readonly events = new EventEmitter<{ state: [AppSnapshot]; notice: [Notice] }>();
  private readonly stateThrottle = new Throttle(100, () => this.events.emit('state', this.snapshot()));
  private readonly monitor: UpstreamMonitor;
  private dashboard: Dashboard | undefined;
  private closing: Promise<void> | undefined;
  private readonly unsubscribers: Array<() => void> = [];
  private readonly noticeBoard = new NoticeBoard();

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
    focus: FocusProvider,
  ) {
    this.events.setMaxListeners(0);
    this.idePort = new IdePort({
      port: effective.values.idePort.value,
      range: effective.values.portRange.value,
      proxy: proxySettingsFrom(effective, tokens),
      report: () => this.jetbrains?.report(),
      focus,
      onFocusUnavailable: (message) => this.notice({ kind: 'focus-unavailable', message: `The window in front cannot be read: ${message}` }),
    });
    this.idePort.on('changed', () => this.stateThrottle.poke());
    this.idePort.on('failed', (error) => this.notice({ kind: 'ide-port', message: `${error.message}${error.fix ? ` — ${error.fix}` : ''}` }));
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
    });
    supervisor.on('state-changed', () => this.stateThrottle.poke());
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
    this.unsubscribers.push(settings.onChange(() => void this.applySettings()));
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
      });
      await this.instance.update({ dashboardUrl: this.dashboard.url });
    }
    for (const problem of this.effective.problems) {
      this.notice({ kind: 'settings-invalid', message: problem.message });
    }
    const view = this.supervisor.registryView();
    if (view?.readOnly && view.readOnlyReason) this.notice({ kind: 'registry-read-only', message: view.readOnlyReason });
  }

  dashboardUrl(): string | undefined {
    return this.dashboard?.url;
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
    await this.supervisor.updateProxySettings(proxySettingsFrom(this.effective, this.tokens));
    await this.idePort.updateProxySettings(proxySettingsFrom(this.effective, this.tokens));
    await this.idePort.reconfigure(v.idePort.value, v.portRange.value);
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
      projects: this.supervisor.projects(),
      idePort: this.idePort.state(),
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
  const settings = openSettings({ dir, watch: true });
  const effective = effectiveSettings(settings.get(), env);
  try {
    assertSettingsEnvValid(effective);
  } catch (error) {
    settings.close();
    throw error;
  }

  const acquired = await acquireInstance({
    dir,
    info: { pid: process.pid, startedAt: Date.now(), version: INTERCEPTOR_VERSION },
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
      proxy: proxySettingsFrom(effective, tokens),
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
    return new Service(env, settings, effective, registry, supervisor, pinned, jetbrains, acquired.instance, host, options.dashboard, tokens, focus);
  } catch (error) {
    settings.close();
    await acquired.instance.release();
    throw error;
  }
}
