// The engine as front ends see it: `interceptor serve`, the Electron main process and the tests all
// drive the same object. Front ends render snapshots and call handlers; they own no state.
import type { AppSnapshot } from '../../../shared/api';
import type { ApiHandlers } from '../api/api-handlers';
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
  /** The web dashboard's address with its token, when this service runs one. */
  dashboardUrl(): string | undefined;
  /** Graceful: stop accepting, let in-flight requests finish up to graceMs, then close everything. */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface ServiceOptions {
  env: NodeJS.ProcessEnv;
  /** --registry; else INTERCEPTOR_REGISTRY; else ~/.config/litellm/port_registry.json. Settings live beside it. */
  registryFile?: string;
  host?: Partial<HostActions>;
  /** Start the web dashboard (headless mode, or Linux without a tray). */
  dashboard?: { staticDir: string; port?: number };
  platform?: NodeJS.Platform;
  /** Which window is in front: the platform's reader unless given (tests give a recorded one). */
  focus?: FocusProvider;
}
