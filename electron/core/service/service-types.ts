// The engine as front ends see it: `interceptor serve`, the Electron main process and the tests all
// drive the same object. Front ends render snapshots and call handlers; they own no state.
import type { AppSnapshot } from '../../../shared/api';
import type { ApiHandlers } from '../api/api-handlers';
import type { InstanceKind } from '../instance/instance-file';
import type { InternalErrorReport } from '../internal-errors';
import type { KeyVault } from '../settings/key-vault';
import type { FocusProvider } from '../attribution/focus/focus-provider';
import type { IdePort } from '../ide-port/ide-port';
import type { Supervisor } from '../supervisor/supervisor';

/** Something the user must act on; the tray app turns these into OS notifications. */
export interface Notice {
  kind:
    | 'port-in-use'
    | 'port-permission'
    | 'upstream-unreachable'
    | 'registry-read-only'
    | 'settings-invalid'
    | 'key-withheld'
    /** The LiteLLM that answers is a version that drops the tags we send. */
    | 'litellm-drops-tags'
    /** LiteLLM refused a request for a reason our headers or key can cause. */
    | 'litellm-refused'
    /** The usage ledger could not record (a damaged database, a driver built for another runtime). */
    | 'usage-ledger'
    /** A project's client files name a port that is no longer its own. */
    | 'client-files-stale'

    /** The IDE port could not start (inside the project range, taken...). */
    | 'ide-port'
    /** The window in front cannot be read (Wayland, a macOS permission): attribution falls back. */
    | 'focus-unavailable';
  /** The project concerned, when there is one. */
  project?: string;
  /** One line for the notification body. */
  message: string;
}

/** What only the host environment can do (Electron's shell / login items, or the OS in headless mode). */
export interface HostActions {
  /** Show a folder in the OS file manager. */
  revealFolder(path: string): Promise<void>;
  /** Make the app start (or not) when the user logs in. */
  setStartAtLogin(enabled: boolean): Promise<void>;
}

export interface InterceptorService {
  /** The API contract's implementation; transports reach it only through core/api/dispatch.ts. */
  readonly handlers: ApiHandlers;
  /** For front ends that log or react to individual events (proxy-started, request batches...). */
  readonly supervisor: Supervisor;
  /** The shared port for IDE-wide clients (its requests are events of its own). */
  readonly idePort: IdePort;
  /**
   * Starts serving: sources, proxies, upstream monitor, dashboard. Separate from creation so front
   * ends can subscribe to events first and miss none. On failure everything is closed again.
   */
  start(): Promise<void>;
  snapshot(): AppSnapshot;
  /** Throttled state pushes (at most ~10/s); returns the unsubscribe function. */
  onState(listener: (snapshot: AppSnapshot) => void): () => void;
  onNotice(listener: (notice: Notice) => void): () => void;
  /**
   * Internal errors of any part (dashboard, supervisor, proxies, the service itself), each once,
   * formatted with its stack and with the API key, the dashboard token and credential-shaped text
   * redacted. While no listener is registered they go to console.error: never nowhere.
   */
  onInternalError(listener: (report: InternalErrorReport) => void): () => void;
  /** For front-end glue (IPC, tray) that catches an unexpected error itself: logged the same way. */
  reportInternalError(error: unknown, where: string): void;
  /** The web dashboard's address with its token, when this service runs one. */
  dashboardUrl(): string | undefined;
  /** Which API key is in force and where it is kept, as one line (never the key); undefined when there is none. */
  apiKeyNote(): string | undefined;
  /** Graceful: stop accepting, let in-flight requests finish up to graceMs, then close everything. */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface ServiceOptions {
  env: NodeJS.ProcessEnv;
  /** Which front end runs this engine; recorded in the instance file for `interceptor status`. */
  kind: InstanceKind;
  /** --registry; else INTERCEPTOR_REGISTRY; else ~/.config/litellm/port_registry.json. Settings live beside it. */
  registryFile?: string;
  host?: Partial<HostActions>;
  /** Start the web dashboard (headless mode, or Linux without a tray). */
  dashboard?: { staticDir: string; port?: number };
  platform?: NodeJS.Platform;
  /** Where the settings keep the API key: the tray app passes the OS keychain's; by default the 0600 file. */
  keyVault?: KeyVault;
  /** The argv that starts the interceptor CLI, for clients that run `interceptor token` (default: this process, when it is the CLI). */
  cli?: { argv: readonly string[] };
  /** Which window is in front: the platform's reader unless given (tests give a recorded one). */
  focus?: FocusProvider;
}
