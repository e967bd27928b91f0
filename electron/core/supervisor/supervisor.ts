// Owns the set of running proxies, one per open project. Sources say what is open, the registry says
// which port each project has, the user can override both (start, stop); the supervisor reconciles
// those wishes into running proxies, one project at a time, and publishes snapshots and events.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProjectError, ProjectSource as SourceInfo, ProjectState, ProjectStats } from '../../../shared/api';
import { InterceptorError, isInterceptorError } from '../errors';
import { formatInternalError } from '../internal-errors';
import type { DiscoveredProject, ProjectSource } from '../discovery/project-source';
import { startProxy, type IdeInfo, type RequestEntry, type RunningProxy } from '../proxy';
import { describeBusyPort, diagnoseBusyPort } from '../proxy/project-proxy';
import { normalizeProjectPath, type PortRegistry, type RegistryChange, type RegistryView } from '../registry';
import { Throttle } from './throttle';
import type { ProjectRequest, SharedProxySettings, SupervisorEvents, SupervisorOptions } from './supervisor-types';

/**
 * What the user asked for, on top of what sources say:
 * - auto: run while some source reports the project open;
 * - on: run until stopped (the user pressed Start);
 * - off: do not run until the user starts it or a source reports it newly opened (the user
 *   pressed Stop, or the mapping was removed by another process).
 */
type Wish = 'auto' | 'on' | 'off';

interface Entry {
  project: string;
  /** Open reports from sources, keyed by source kind. */
  openBy: Map<string, DiscoveredProject>;
  wish: Wish;
  proxy?: RunningProxy;
  starting: boolean;
  error?: ProjectError;
  /** Counters of the proxy that ran last, kept after it stops so the UI does not go blank. */
  lastStats?: ProjectStats;
  /** Serialises start/stop for this project. */
  queue: Promise<void>;
}

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_DEBOUNCE_MS = 150;
const EVENT_THROTTLE_MS = 100;

const EMPTY_STATS: ProjectStats = {
  requests: 0,
  errors: 0,
  bytesIn: 0,
  bytesOut: 0,
  lastRequestAt: null,
  p50Ms: null,
  p95Ms: null,
};

function statsOf(proxy: RunningProxy): ProjectStats {
  const s = proxy.stats();
  return {
    requests: s.requests,
    errors: s.errors,
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
    lastRequestAt: s.lastRequestAt,
    p50Ms: s.latencyMs.p50,
    p95Ms: s.latencyMs.p95,
  };
}

function sourceInfo(discovered: DiscoveredProject): SourceInfo {
  const origin = discovered.source;
  if (origin.kind === 'jetbrains') {
    return { kind: 'jetbrains', product: origin.productName, ...(origin.version ? { version: origin.version } : {}) };
  }
  return { kind: 'pinned' };
}

function ideOf(entry: Entry): IdeInfo | undefined {
  for (const discovered of entry.openBy.values()) {
    const origin = discovered.source;
    if (origin.kind === 'jetbrains') return { product: origin.productName, ...(origin.version ? { version: origin.version } : {}) };
  }
  return undefined;
}

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly sources: ProjectSource[];
  private registry: PortRegistry;
  private view: RegistryView | undefined;
  private ports = new Map<string, number>();
  private folderExists = new Map<string, boolean>();
  private proxySettings: SharedProxySettings;
  private upstreamReachable: boolean | null = null;
  private readonly graceMs: number;
  private readonly debounceMs: number;
  /** Discovered path (platform syntax) → registry key; realpath is not free. */
  private readonly keyCache = new Map<string, string>();
  private readonly unsubscribers: Array<() => void> = [];
  private unwatchRegistry: (() => void) | undefined;
  private sourceTimer: NodeJS.Timeout | undefined;
  private registryTimer: NodeJS.Timeout | undefined;
  private pendingRequests: ProjectRequest[] = [];
  private readonly stateThrottle = new Throttle(EVENT_THROTTLE_MS, () => this.emit('state-changed'));
  private readonly requestThrottle = new Throttle(EVENT_THROTTLE_MS, () => this.flushRequests());
  private started = false;
  private closed = false;
  /** The last reconciliation pass, so callers (tests, shutdown) can wait for the dust to settle. */
  private settling: Promise<void> = Promise.resolve();

  constructor(options: SupervisorOptions) {
    super();
    this.registry = options.registry;
    this.sources = [...options.sources];
    this.proxySettings = { ...options.proxy };
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  }

  /** Reads the registry, starts every source and serves what they report open. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.refreshRegistry();
    this.watchRegistry();
    for (const source of this.sources) await this.attachSource(source);
    await this.applySources();
  }

  // ---- sources ---------------------------------------------------------------------------

  private async attachSource(source: ProjectSource): Promise<void> {
    this.unsubscribers.push(source.on('change', () => this.scheduleSources()));
    await source.start();
  }

  /** Adds a source at run time (detection switched on). */
  async addSource(source: ProjectSource): Promise<void> {
    if (this.sources.includes(source)) return;
    this.sources.push(source);
    if (this.started) {
      await this.attachSource(source);
      await this.applySources();
    }
  }

  /** Removes a source at run time (detection switched off): its projects close. */
  async removeSource(source: ProjectSource): Promise<void> {
    const index = this.sources.indexOf(source);
    if (index < 0) return;
    this.sources.splice(index, 1);
    await source.stop();
    for (const entry of this.entries.values()) entry.openBy.delete(source.kind);
    await this.reconcileAll();
  }

  private scheduleSources(): void {
    clearTimeout(this.sourceTimer);
    this.sourceTimer = setTimeout(() => {
      this.sourceTimer = undefined;
      this.applySources().catch((error: unknown) => this.internalError(error, 'applying what the project sources report'));
    }, this.debounceMs);
  }

  private async keyFor(discoveredPath: string): Promise<string> {
    let key = this.keyCache.get(discoveredPath);
    if (key === undefined) {
      key = await normalizeProjectPath(discoveredPath);
      this.keyCache.set(discoveredPath, key);
    }
    return key;
  }

  /** Reads every source now instead of after the debounce (a pin the user just made). */
  refreshSources(): Promise<void> {
    clearTimeout(this.sourceTimer);
    this.sourceTimer = undefined;
    return this.applySources();
  }

  private async applySources(): Promise<void> {
    if (this.closed) return;
    const open = new Map<string, Map<string, DiscoveredProject>>();
    for (const source of this.sources) {
      for (const discovered of source.current()) {
        if (!discovered.open) continue;
        const key = await this.keyFor(discovered.path).catch(() => undefined);
        if (key === undefined) continue;
        const bySource = open.get(key) ?? new Map<string, DiscoveredProject>();
        bySource.set(source.kind, discovered);
        open.set(key, bySource);
      }
    }
    for (const [project, openBy] of open) {
      const entry = this.entry(project);
      const wasOpen = entry.openBy.size > 0;
      entry.openBy = openBy;
      if (!wasOpen) {
        // A fresh open clears an earlier Stop: the user opened the project again.
        if (entry.wish === 'off') entry.wish = 'auto';
        entry.error = undefined;
        this.emit('project-opened', project);
      }
    }
    for (const entry of this.entries.values()) {
      if (!open.has(entry.project)) entry.openBy = new Map();
    }
    await this.reconcileAll();
  }

  // ---- registry --------------------------------------------------------------------------

  private watchRegistry(): void {
    this.unwatchRegistry?.();
    this.unwatchRegistry = this.registry.watch((change) => this.scheduleRegistry(change));
  }

  private pendingChanges: RegistryChange[] = [];

  private scheduleRegistry(change: RegistryChange): void {
    this.pendingChanges.push(change);
    clearTimeout(this.registryTimer);
    this.registryTimer = setTimeout(() => {
      this.registryTimer = undefined;
      this.applyRegistryChanges().catch((error: unknown) => this.internalError(error, 'applying registry changes'));
    }, this.debounceMs);
  }

  private async applyRegistryChanges(): Promise<void> {
    if (this.closed) return;
    const changes = this.pendingChanges;
    this.pendingChanges = [];
    await this.refreshRegistry();
    for (const change of changes) {
      for (const { project } of change.removed) {
        const entry = this.entries.get(project);
        // Still unmapped now: removed by another process (CLI remove/reset). Stop it, even if the user
        // had started it — that is how one stops a project from the CLI — and do not re-allocate.
        // (Re-mapped already: this process moved it, e.g. a reassign.)
        if (entry && !this.ports.has(project)) {
          entry.wish = 'off';
          entry.error = undefined;
        }
      }
    }
    await this.reconcileAll();
  }

  private async refreshRegistry(): Promise<void> {
    try {
      this.view = await this.registry.read();
    } catch (error) {
      // Keep the last good view: a registry error must not stop what runs.
      if (!this.view) throw error;
      // A registry error (unreadable, locked) shows in the next good read; anything else is a bug.
      if (!isInterceptorError(error)) this.internalError(error, 'reading the registry');
      return;
    }
    this.ports = new Map(this.view.mappings.map((m) => [m.project, m.port]));
    this.folderExists = new Map(this.view.mappings.map((m) => [m.project, existsSync(m.project)]));
    this.stateThrottle.poke();
  }

  /** Swaps the registry (its range or reserved ports changed in settings). */
  async setRegistry(registry: PortRegistry): Promise<void> {
    this.registry = registry;
    if (!this.started) return;
    await this.refreshRegistry();
    this.watchRegistry();
    await this.reconcileAll();
  }

  registryView(): RegistryView | undefined {
    return this.view;
  }

  // ---- reconciliation --------------------------------------------------------------------

  private entry(project: string): Entry {
    let entry = this.entries.get(project);
    if (!entry) {
      entry = { project, openBy: new Map(), wish: 'auto', starting: false, queue: Promise.resolve() };
      this.entries.set(project, entry);
    }
    return entry;
  }

  private wanted(entry: Entry): boolean {
    if (this.closed) return false;
    if (entry.wish === 'on') return true;
    if (entry.wish === 'off') return false;
    return entry.openBy.size > 0;
  }

  /** Runs `task` after the project's earlier ones; the caller gets its failure, the queue goes on. */
  private enqueue(entry: Entry, task: () => Promise<void>): Promise<void> {
    const run = entry.queue.then(task, task);
    entry.queue = run.then(
      () => undefined,
      () => undefined, // the queue only orders tasks: whoever awaited `run` has the failure
    );
    return run;
  }

  /**
   * Reconciles every project. One project's failure (a bug: starts report their own errors) is
   * logged and does not hold up the others or fail the action that triggered the pass.
   */
  private reconcileAll(): Promise<void> {
    this.settling = (async () => {
      await this.allocateWanted();
      const entries = [...this.entries.values()];
      const results = await Promise.allSettled(entries.map((entry) => this.reconcile(entry)));
      results.forEach((result, index) => {
        if (result.status === 'rejected') this.internalError(result.reason, `reconciling ${entries[index]!.project}`);
      });
    })();
    return this.settling;
  }

  /**
   * Ports for every wanted project that has none, in one registry transaction: starting 200 projects
   * would otherwise queue 200 lock round-trips. On any failure each project allocates on its own
   * when it starts, so one bad project cannot hold up the rest.
   */
  private async allocateWanted(): Promise<void> {
    const missing = [...this.entries.values()].filter((e) => this.wanted(e) && !e.proxy && !e.error && !this.ports.has(e.project));
    if (missing.length < 2) return;
    try {
      const results = await this.registry.allocateMany(missing.map((e) => e.project));
      for (const { project, port } of results) this.ports.set(project, port);
    } catch {
      // Reported per project by startEntry.
    }
  }

  private reconcile(entry: Entry): Promise<void> {
    return this.enqueue(entry, async () => {
      const want = this.wanted(entry);
      const proxy = entry.proxy;
      const port = this.ports.get(entry.project);
      if (!want) {
        entry.error = undefined; // an error belongs to an attempt the user no longer wants
        if (proxy) await this.stopProxy(entry, entry.openBy.size > 0 ? 'stopped by the user' : 'project closed');
        return;
      }
      if (proxy && port !== undefined && port !== proxy.port) {
        await this.stopProxy(entry, `port changed to ${port}`);
      } else if (proxy && port === undefined) {
        // Its mapping was removed under it (by another process): stop, and only a new Start or a
        // fresh open re-allocates.
        entry.wish = 'off';
        await this.stopProxy(entry, 'mapping removed');
        return;
      }
      if (!entry.proxy && !entry.error) await this.startEntry(entry);
    });
  }

  /** Runs debounced source/registry work now and waits until every queued start/stop has finished. */
  async settled(): Promise<void> {
    if (this.registryTimer) {
      clearTimeout(this.registryTimer);
      this.registryTimer = undefined;
      await this.applyRegistryChanges();
    }
    if (this.sourceTimer) {
      clearTimeout(this.sourceTimer);
      this.sourceTimer = undefined;
      await this.applySources();
    }
    await this.settling;
    await Promise.all([...this.entries.values()].map((e) => e.queue));
  }

  private async startEntry(entry: Entry): Promise<void> {
    entry.starting = true;
    this.stateThrottle.poke();
    let port: number | undefined;
    try {
      port = (await this.registry.allocate(entry.project)).port;
      this.ports.set(entry.project, port);
      if (!this.folderExists.has(entry.project)) this.folderExists.set(entry.project, existsSync(entry.project));
      const ide = ideOf(entry);
      const proxy = await startProxy({
        identity: { projectPath: entry.project, port, ...(ide ? { ide } : {}) },
        host: this.proxySettings.host,
        target: this.proxySettings.target,
        ...(this.proxySettings.apiKey ? { apiKey: this.proxySettings.apiKey } : {}),
        ...(this.proxySettings.clientToken ? { clientToken: this.proxySettings.clientToken } : {}),
        headerProfile: this.proxySettings.headerProfile,
        allowedOrigins: this.proxySettings.allowedOrigins,
        bodyLimitBytes: this.proxySettings.bodyLimitBytes,
        ...(this.proxySettings.rawPath === false ? { rawPath: false } : {}),
        ...(this.proxySettings.upstreamTimeoutMs ? { upstreamTimeoutMs: this.proxySettings.upstreamTimeoutMs } : {}),
        captureUsage: this.proxySettings.captureUsage === true,
      });
      proxy.on('request', (request: RequestEntry) => this.onRequest(entry.project, request));
      proxy.on('key-withheld', (peer) => this.emit('key-withheld', entry.project, peer));
      proxy.on('error', (error: Error) => {
        this.internalError(error, `the proxy of ${entry.project}`);
        this.fail(entry, { code: 'INTERNAL', message: `proxy failed: ${error.message}` });
      });
      proxy.on('internal-error', (error: unknown, where: string) => this.internalError(error, `the proxy of ${entry.project}: ${where}`));
      entry.proxy = proxy;
      entry.error = undefined;
      this.emit('proxy-started', entry.project, proxy.port);
    } catch (error) {
      // Domain errors (port taken, registry locked...) are the user's to act on; anything else is a bug.
      if (!isInterceptorError(error)) this.internalError(error, `starting ${entry.project}`);
      this.fail(entry, await this.explain(error, port, entry.project));
    } finally {
      entry.starting = false;
      this.stateThrottle.poke();
    }
  }

  /** Hands a bug to whoever logs them (the service); with nobody listening, to stderr: never nowhere. */
  private internalError(error: unknown, where: string): void {
    const context = `supervisor: ${where}`;
    if (this.listenerCount('internal-error') > 0) this.emit('internal-error', error, context);
    else console.error(formatInternalError(error, context, this.proxySettings.apiKey ? [this.proxySettings.apiKey] : []).text);
  }

  private fail(entry: Entry, error: ProjectError): void {
    entry.error = error;
    this.emit('proxy-error', entry.project, error);
    this.stateThrottle.poke();
  }

  /** Turns a start failure into words the user can act on, naming who holds a taken port. */
  private async explain(error: unknown, port: number | undefined, project: string): Promise<ProjectError> {
    if (!isInterceptorError(error)) {
      return { code: 'INTERNAL', message: `could not start: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (error.code === 'PORT_IN_USE' && port !== undefined) {
      const busy = await diagnoseBusyPort(port, this.proxySettings.host, project);
      const fix =
        busy.kind === 'same-project'
          ? 'Stop the other Interceptor (e.g. `interceptor run` in a terminal), then start this project again'
          : busy.kind === 'other-project'
            ? 'Reassign this project to a free port'
            : `Reassign this project to a free port, or stop ${busy.holder?.command ?? 'that program'} and start again`;
      return { code: error.code, message: describeBusyPort(port, busy), fix };
    }
    if (error.code === 'PORT_PERMISSION') {
      return { code: error.code, message: error.message, fix: 'Reassign this project to a port above 1024' };
    }
    if (error.code === 'REGISTRY_READ_ONLY') {
      return { code: error.code, message: error.message, fix: 'Upgrade Interceptor, or reset the registry' };
    }
    return { code: error.code, message: error.message };
  }

  private async stopProxy(entry: Entry, reason: string): Promise<void> {
    const proxy = entry.proxy;
    if (!proxy) return;
    entry.lastStats = statsOf(proxy);
    entry.proxy = undefined;
    this.stateThrottle.poke();
    await proxy.close({ graceMs: this.graceMs });
    this.emit('proxy-stopped', entry.project, reason);
  }

  private onRequest(project: string, request: RequestEntry): void {
    this.pendingRequests.push({ ...request, project });
    this.requestThrottle.poke();
    this.stateThrottle.poke();
  }

  private flushRequests(): void {
    if (this.pendingRequests.length === 0) return;
    const batch = this.pendingRequests;
    this.pendingRequests = [];
    this.emit('request', batch);
  }

  // ---- commands --------------------------------------------------------------------------

  private async known(project: string): Promise<Entry> {
    const key = await normalizeProjectPath(project);
    return this.entry(key);
  }

  /** Runs the project until stopped, allocating a port if it has none; clears an earlier error. */
  async startProject(project: string): Promise<ProjectState> {
    const entry = await this.known(project);
    entry.wish = 'on';
    entry.error = undefined;
    await this.reconcile(entry);
    return this.stateOf(entry.project);
  }

  /** Stops the project's proxy; it stays stopped until started again or reopened in its IDE. */
  async stopProject(project: string): Promise<ProjectState> {
    const entry = await this.known(project);
    entry.wish = 'off';
    entry.error = undefined;
    await this.reconcile(entry);
    return this.stateOf(entry.project);
  }

  /** Moves a project to a new free port (the fix for a taken port): remove, allocate, start. */
  async reassignPort(project: string): Promise<ProjectState> {
    const entry = await this.known(project);
    await this.enqueue(entry, async () => {
      await this.stopProxy(entry, 'reassigning its port');
      await this.registry.remove({ project: entry.project });
      this.ports.delete(entry.project);
    });
    entry.wish = entry.wish === 'off' ? 'on' : entry.wish;
    entry.error = undefined;
    await this.reconcile(entry);
    await this.refreshRegistry();
    return this.stateOf(entry.project);
  }

  /** Stops the project's proxy and removes its mapping (by project or by port). */
  async removeMapping(target: { project: string } | { port: number }): Promise<{ project: string; port: number }> {
    const project = 'port' in target ? this.projectOnPort(target.port) : await normalizeProjectPath(target.project);
    const entry = project ? this.entries.get(project) : undefined;
    if (entry) {
      entry.wish = 'off';
      entry.error = undefined;
      await this.enqueue(entry, () => this.stopProxy(entry, 'mapping removed'));
    }
    const removed = await this.registry.remove(project ? { project } : target);
    if (!removed) {
      const what = 'port' in target ? `port ${target.port}` : target.project;
      throw new InterceptorError('NOT_FOUND', `no mapping for ${what}`);
    }
    await this.refreshRegistry();
    return removed;
  }

  /** Stops everything and empties the registry, keeping a backup. */
  async resetRegistry(): Promise<{ backupPath: string | null; removed: number }> {
    for (const entry of this.entries.values()) {
      entry.wish = 'off';
      entry.error = undefined;
    }
    await this.reconcileAll();
    const result = await this.registry.reset();
    await this.refreshRegistry();
    return result;
  }

  private projectOnPort(port: number): string | undefined {
    for (const [project, p] of this.ports) if (p === port) return project;
    return undefined;
  }

  /** New target, key, headers...: running proxies take them for new requests; streams in flight finish. */
  async updateProxySettings(next: SharedProxySettings): Promise<void> {
    const hostChanged = next.host !== this.proxySettings.host;
    this.proxySettings = { ...next };
    const update = {
      target: next.target,
      apiKey: next.apiKey ?? '',
      headerProfile: next.headerProfile,
      allowedOrigins: next.allowedOrigins,
      bodyLimitBytes: next.bodyLimitBytes,
      ...(next.upstreamTimeoutMs ? { upstreamTimeoutMs: next.upstreamTimeoutMs } : {}),
      captureUsage: next.captureUsage === true,
    };
    const restarts: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.proxy) continue;
      if (hostChanged) {
        // The listen address cannot change under a running server: restart it gracefully.
        restarts.push(this.enqueue(entry, () => this.stopProxy(entry, 'listen address changed')).then(() => this.reconcile(entry)));
      } else {
        entry.proxy.update(update);
      }
    }
    await Promise.all(restarts);
    this.stateThrottle.poke();
  }

  proxySettingsNow(): SharedProxySettings {
    return { ...this.proxySettings };
  }

  setUpstreamReachable(reachable: boolean | null): void {
    if (reachable === this.upstreamReachable) return;
    this.upstreamReachable = reachable;
    this.stateThrottle.poke();
  }

  runningCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.proxy) count += 1;
    return count;
  }

  recentRequests(project: string): RequestEntry[] {
    return this.entries.get(project)?.proxy?.recent() ?? [];
  }

  /** The running proxy of a project (for header previews), if any. */
  proxyOf(project: string): RunningProxy | undefined {
    return this.entries.get(project)?.proxy;
  }

  // ---- state -----------------------------------------------------------------------------

  private stateOf(project: string): ProjectState {
    const entry = this.entries.get(project);
    const port = entry?.proxy?.port ?? this.ports.get(project) ?? null;
    const sources: SourceInfo[] = entry ? [...entry.openBy.values()].map(sourceInfo) : [];
    if (sources.length === 0 && this.ports.has(project)) sources.push({ kind: 'cli' });
    let status: ProjectState['status'] = 'stopped';
    if (entry?.proxy) status = 'running';
    else if (entry?.starting) status = 'starting';
    else if (entry?.error) status = 'error';
    else if (this.folderExists.get(project) === false) status = 'folder-missing';
    return {
      project,
      name: path.basename(project) || project,
      port,
      status,
      ...(entry?.error && !entry.proxy ? { error: entry.error } : {}),
      sources,
      stats: entry?.proxy ? statsOf(entry.proxy) : (entry?.lastStats ?? EMPTY_STATS),
      upstream: { reachable: this.upstreamReachable },
    };
  }

  /** Every mapping and every project something wants served, sorted by name then path. */
  /** The projects `projects()` lists, keys only: cheap enough to ask per new connection (attribution's known projects). */
  projectKeys(): string[] {
    const keys = new Set<string>(this.ports.keys());
    for (const entry of this.entries.values()) {
      if (entry.proxy || entry.starting || entry.error || entry.openBy.size > 0) keys.add(entry.project);
    }
    return [...keys];
  }

  projects(): ProjectState[] {
    return this.projectKeys()
      .map((project) => this.stateOf(project))
      .sort((a, b) => a.name.localeCompare(b.name) || a.project.localeCompare(b.project));
  }

  /** Stops every proxy gracefully and detaches from sources and the registry. */
  async stopAll(options: { graceMs?: number } = {}): Promise<void> {
    this.closed = true;
    clearTimeout(this.sourceTimer);
    clearTimeout(this.registryTimer);
    this.unwatchRegistry?.();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    await Promise.all(
      this.sources.map((source) => source.stop().catch((error: unknown) => this.internalError(error, `stopping the ${source.kind} project source`))),
    );
    const grace = options.graceMs ?? this.graceMs;
    const entries = [...this.entries.values()];
    const results = await Promise.allSettled(
      entries.map((entry) =>
        this.enqueue(entry, async () => {
          const proxy = entry.proxy;
          if (!proxy) return;
          entry.proxy = undefined;
          await proxy.close({ graceMs: grace });
          this.emit('proxy-stopped', entry.project, 'shutting down');
        }),
      ),
    );
    // Shutting down goes on for the others; a proxy that failed to close is a bug to log.
    results.forEach((result, index) => {
      if (result.status === 'rejected') this.internalError(result.reason, `stopping ${entries[index]!.project}`);
    });
    this.flushRequests();
    this.stateThrottle.cancel();
    this.requestThrottle.cancel();
  }
}
