// The shared port: one more stable port, served whenever Interceptor runs — the one URL for every
// client: those with one URL for a whole IDE (JetBrains AI Assistant, Copilot, ProxyAI, Cline) and
// command-line agents with one user-level config (Claude Code, Codex, the Continue CLI). It forwards
// exactly like a project's port (the same ProxyServer); only the identity is decided per request,
// by core/attribution: the working folder first, then the IDE rules. It never takes a port of the
// project range, and a taken port is reported with the program that holds it; either way the
// projects' own ports go on serving.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { IdePortState, PortlessProjectState, ProjectError, ProjectStats, RunningIdeState } from '../../../shared/api';
import { baseUrl } from '../../../shared/format';
import type { PortRange } from '../../../shared/port-list';
import { IdeAttribution, type AttributionPreview } from '../attribution/ide-attribution';
import { FocusTracker } from '../attribution/focus/focus-tracker';
import type { FocusProvider } from '../attribution/focus/focus-provider';
import { processTableFor, type ProcessTable } from '../attribution/process-info';
import { FolderProjects } from '../attribution/folder-projects';
import { folderRules } from '../attribution/folder-rules';
import { cwdReaderFor, type CwdReader } from '../attribution/process-cwd';
import { DEFAULT_RULES, lastFocusedRule } from '../attribution/rules';
import { RunningIdes, type RunningIde } from '../attribution/running-ides';
import type { DetectReport } from '../discovery/jetbrains/detect-jetbrains';
import { isInterceptorError } from '../errors';
import { probeInterceptor } from '../net/interceptor-probe';
import { describeHolder, findPortHolder } from '../net/port-holder';
import { startProxy, type RequestEntry, type RunningProxy } from '../proxy';
import { UNATTRIBUTED, type ProxyIdentity } from '../proxy/identity-headers';
import { isWildcardHost } from '../proxy/request-guard';
import type { SharedProxySettings } from '../supervisor/supervisor-types';

export interface IdePortOptions {
  port: number;
  /** The project port range: the IDE port may not lie inside it. */
  range: PortRange;
  proxy: SharedProxySettings;
  /** JetBrains discovery's live report (undefined while detection is off: every request is unattributed). */
  report: () => DetectReport | undefined;
  focus: FocusProvider;
  /** The projects the working-folder rule knows (registry keys): the registry's mappings and open projects. IDE-open projects are added. */
  knownProjects?: () => Iterable<string>;
  processes?: ProcessTable;
  /** Reads a process's working folder (default: this OS's way). */
  cwds?: CwdReader;
  /** The user's home folder, never a project (default: this process's). */
  home?: string;
  /** Told once per reason the foreground window cannot be read. */
  onFocusUnavailable?: (message: string) => void;
  /** Bound on learning who a new connection is (default: attribution's). */
  lookupTimeoutMs?: number;
  stickyMs?: number;
  /** Focus polling interval and how long it goes on after the last request (tests shorten them). */
  focusPollMs?: number;
  focusActiveForMs?: number;
}

export interface IdePortEvents {
  started: [port: number];
  failed: [error: ProjectError];
  request: [entry: RequestEntry];
  /** Something the window shows changed (a request, a window in front, IDEs). */
  changed: [];
}

/** Portless (git-root) projects kept for the window: the latest ones. */
const MAX_PORTLESS = 50;

const EMPTY_STATS: ProjectStats = { requests: 0, errors: 0, bytesIn: 0, bytesOut: 0, lastRequestAt: null, p50Ms: null, p95Ms: null };

function inRange(range: PortRange, port: number): boolean {
  return port >= range.start && port <= range.end;
}

export class IdePort extends EventEmitter<IdePortEvents> {
  private port: number;
  private range: PortRange;
  private proxySettings: SharedProxySettings;
  private proxy: RunningProxy | undefined;
  private status: IdePortState['status'] = 'stopped';
  private error: ProjectError | undefined;
  private lastStats: ProjectStats = EMPTY_STATS;
  private readonly ides: RunningIdes;
  private readonly tracker: FocusTracker;
  private readonly folders: FolderProjects;
  private readonly portless = new Map<string, Omit<PortlessProjectState, 'usageToday'>>();
  readonly attribution: IdeAttribution;
  /** Start and stop one at a time. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: IdePortOptions) {
    super();
    this.port = options.port;
    this.range = options.range;
    this.proxySettings = options.proxy;
    this.ides = new RunningIdes(options.report);
    const processes = options.processes ?? processTableFor();
    this.tracker = new FocusTracker({
      provider: options.focus,
      ides: this.ides,
      processes,
      ...(options.onFocusUnavailable ? { onUnavailable: options.onFocusUnavailable } : {}),
      onFrontChanged: () => this.emit('changed'),
      ...(options.focusPollMs !== undefined ? { pollIntervalMs: options.focusPollMs } : {}),
      ...(options.focusActiveForMs !== undefined ? { activeForMs: options.focusActiveForMs } : {}),
    });
    this.folders = new FolderProjects({
      known: () => this.knownProjects(),
      ...(options.home !== undefined ? { home: options.home } : {}),
    });
    this.attribution = new IdeAttribution({
      ides: this.ides,
      focus: this.tracker,
      processes,
      rules: [...folderRules({ folders: this.folders, cwds: options.cwds ?? cwdReaderFor() }), ...DEFAULT_RULES],
      ...(options.lookupTimeoutMs !== undefined ? { lookupTimeoutMs: options.lookupTimeoutMs } : {}),
      ...(options.stickyMs !== undefined ? { stickyMs: options.stickyMs } : {}),
    });
  }

  private *knownProjects(): Iterable<string> {
    if (this.options.knownProjects) yield* this.options.knownProjects();
    for (const ide of this.ides.latest()) for (const project of ide.openProjects) yield project.path;
  }

  /** A request attributed by its git work tree: its project has no port, so the window lists it here. */
  private notePortless(entry: RequestEntry): void {
    if (entry.attribution !== 'git-root' || entry.project === undefined) return;
    const project = entry.project;
    const before = this.portless.get(project);
    this.portless.delete(project);
    this.portless.set(project, {
      project,
      name: path.basename(project) || project,
      requests: (before?.requests ?? 0) + 1,
      lastRequestAt: entry.at,
      ...(entry.decidedBy?.process !== undefined ? { lastProcess: entry.decidedBy.process } : {}),
    });
    if (this.portless.size > MAX_PORTLESS) this.portless.delete(this.portless.keys().next().value as string);
  }

  /** The port's own identity: what a request gets before (or without) attribution. */
  private baseIdentity(): ProxyIdentity {
    return { projectPath: UNATTRIBUTED, port: this.port, attribution: UNATTRIBUTED };
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task, task).catch(() => undefined);
    return this.queue;
  }

  private async startNow(): Promise<void> {
    if (this.closed || this.proxy !== undefined) return;
    if (inRange(this.range, this.port)) {
      this.fail({
        code: 'INVALID_ARGUMENT',
        message: `the IDE port ${this.port} lies inside the project port range ${this.range.start}–${this.range.end}, where it could be given to a project`,
        fix: 'Choose an IDE port outside the range (setting "IDE port", or INTERCEPTOR_IDE_PORT)',
      });
      return;
    }
    this.status = 'starting';
    const settings = this.proxySettings;
    try {
      const proxy = await startProxy({
        identity: this.baseIdentity(),
        host: settings.host,
        target: settings.target,
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        ...(settings.clientToken ? { clientToken: settings.clientToken } : {}),
        headerProfile: settings.headerProfile,
        allowedOrigins: settings.allowedOrigins,
        bodyLimitBytes: settings.bodyLimitBytes,
        ...(settings.upstreamTimeoutMs ? { upstreamTimeoutMs: settings.upstreamTimeoutMs } : {}),
        attribution: this.attribution,
      });
      proxy.on('request', (entry) => {
        this.notePortless(entry);
        this.emit('request', entry);
        this.emit('changed');
      });
      proxy.on('error', (error) => this.fail({ code: 'INTERNAL', message: `the IDE port failed: ${error.message}` }));
      this.proxy = proxy;
      this.status = 'running';
      this.error = undefined;
      this.emit('started', proxy.port);
    } catch (error) {
      this.fail(await this.explain(error));
    }
    this.emit('changed');
  }

  private fail(error: ProjectError): void {
    this.status = 'error';
    this.error = error;
    this.emit('failed', error);
    this.emit('changed');
  }

  /** A taken port names its holder, like a project's port does. */
  private async explain(error: unknown): Promise<ProjectError> {
    if (!isInterceptorError(error)) return { code: 'INTERNAL', message: `the IDE port could not start: ${error instanceof Error ? error.message : String(error)}` };
    if (error.code === 'PORT_IN_USE') {
      const host = isWildcardHost(this.proxySettings.host) ? '127.0.0.1' : this.proxySettings.host.replace(/^\[(.*)\]$/, '$1');
      const health = await probeInterceptor(this.port, host, 3000);
      const holder = health ? 'another Interceptor' : describeHolder(await findPortHolder(this.port));
      return {
        code: error.code,
        message: `the IDE port ${this.port} is taken by ${holder}`,
        fix: health ? 'Stop the other Interceptor, or choose another IDE port' : 'Choose another IDE port (setting "IDE port", or INTERCEPTOR_IDE_PORT), or stop that program',
      };
    }
    if (error.code === 'PORT_PERMISSION') return { code: error.code, message: `the IDE port ${this.port}: ${error.message}`, fix: 'Choose an IDE port above 1024' };
    return { code: error.code, message: `the IDE port ${this.port} could not start: ${error.message}` };
  }

  private async stopNow(graceMs?: number): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    if (proxy !== undefined) {
      this.lastStats = statsOf(proxy);
      await proxy.close(graceMs === undefined ? {} : { graceMs });
    }
    this.status = 'stopped';
  }

  /** A new port or project range: restarts on the new port (or reports why it cannot). */
  reconfigure(port: number, range: PortRange): Promise<void> {
    if (port === this.port && range.start === this.range.start && range.end === this.range.end) return this.queue;
    return this.enqueue(async () => {
      const restart = port !== this.port || this.proxy === undefined;
      this.port = port;
      this.range = range;
      if (!restart && !inRange(range, port)) return;
      await this.stopNow();
      this.error = undefined;
      await this.startNow();
    });
  }

  /** New target, key, headers...: like a project's proxy (a new listen address restarts it). */
  updateProxySettings(next: SharedProxySettings): Promise<void> {
    const hostChanged = next.host !== this.proxySettings.host;
    this.proxySettings = { ...next };
    return this.enqueue(async () => {
      const proxy = this.proxy;
      if (proxy === undefined) return;
      if (hostChanged) {
        await this.stopNow();
        await this.startNow();
        return;
      }
      proxy.update({
        target: next.target,
        apiKey: next.apiKey ?? '',
        headerProfile: next.headerProfile,
        allowedOrigins: next.allowedOrigins,
        bodyLimitBytes: next.bodyLimitBytes,
        ...(next.upstreamTimeoutMs ? { upstreamTimeoutMs: next.upstreamTimeoutMs } : {}),
      });
    });
  }

  /** The running IDEs again, now (discovery changed): the window shows them without waiting for a request. */
  async refreshIdes(): Promise<void> {
    await this.ides.current();
    await this.folders.warm();
    this.emit('changed');
  }

  listeningPort(): number | undefined {
    return this.proxy?.port;
  }

  recent(): RequestEntry[] {
    return this.proxy?.recent() ?? [];
  }

  /** What a request from an IDE would be attributed to now, with the headers' identity. */
  preview(): AttributionPreview & { headerProfile: SharedProxySettings['headerProfile']; target: string; apiKey: string | undefined } {
    const config = this.proxy?.config();
    return {
      ...this.attribution.preview(config?.identity ?? this.baseIdentity()),
      headerProfile: config?.headerProfile ?? this.proxySettings.headerProfile,
      target: config?.target.url ?? this.proxySettings.target,
      apiKey: config?.apiKey ?? this.proxySettings.apiKey,
    };
  }

  state(): IdePortState {
    const focus = this.tracker.state();
    const front = this.tracker.frontNow();
    const ides: RunningIdeState[] = this.ides.latest().map((ide) => this.ideState(ide, front?.ideConfigDir === ide.configDir && front.projects.length === 1 ? (front.projects[0] as string) : null));
    return {
      port: this.port,
      url: baseUrl(this.port, this.proxySettings.host),
      status: this.status,
      ...(this.error && this.status !== 'running' ? { error: this.error } : {}),
      stats: this.proxy ? statsOf(this.proxy) : this.lastStats,
      focus: focus.state === 'unavailable' ? { state: 'unavailable', message: focus.message } : { state: focus.state },
      ides,
      portless: [...this.portless.values()].reverse().map((project) => ({ ...project })),
    };
  }

  private ideState(ide: RunningIde, inFront: string | null): RunningIdeState {
    const lastFocused = lastFocusedRule.decide({ ide, focus: this.tracker, peer: { chain: [] } }) ?? null;
    return {
      product: ide.productName,
      ...(ide.version !== undefined ? { version: ide.version } : {}),
      pid: ide.pid,
      configDir: ide.configDir,
      openProjects: ide.openProjects.map((project) => project.path),
      inFront,
      lastFocused,
    };
  }

  /** Stops accepting; requests in flight get up to graceMs to finish. */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    this.closed = true;
    this.tracker.close();
    await this.enqueue(() => this.stopNow(options.graceMs));
  }
}

function statsOf(proxy: RunningProxy): ProjectStats {
  const s = proxy.stats();
  return { requests: s.requests, errors: s.errors, bytesIn: s.bytesIn, bytesOut: s.bytesOut, lastRequestAt: s.lastRequestAt, p50Ms: s.latencyMs.p50, p95Ms: s.latencyMs.p95 };
}
