// What the supervisor is given and what it tells. It owns what runs; the registry owns ports.
import type { ProjectError, ProjectState } from '../../../shared/api';
import type { ProjectSource } from '../discovery/project-source';
import type { HeaderProfile, KeyWithheld, RequestEntry } from '../proxy';
import type { PortRegistry } from '../registry';

/** The proxy settings every project shares; the supervisor adds each project's identity and port. */
export interface SharedProxySettings {
  host: string;
  target: string;
  apiKey?: string;
  /** The local client token in force (core/access/client-token.ts). */
  clientToken?: () => string | undefined;
  headerProfile: HeaderProfile;
  allowedOrigins: readonly string[];
  bodyLimitBytes: number;
  upstreamTimeoutMs?: number;
  /** false: every request through node:http (INTERCEPTOR_FORWARDING=node-http). */
  rawPath?: boolean;
  /** Keep each answer's usage on the request entries (the usage ledger is on). */
  captureUsage?: boolean;
}

export interface SupervisorOptions {
  registry: PortRegistry;
  sources: readonly ProjectSource[];
  proxy: SharedProxySettings;
  /** How long in-flight requests may run on when a proxy stops (stop, restart, shutdown). */
  graceMs?: number;
  /** Quiet time before acting on source or registry changes (IDEs and editors write in bursts). */
  debounceMs?: number;
}

export interface ProjectRequest extends RequestEntry {
  project: string;
}

export interface SupervisorEvents {
  /** A source reports the project open (or the user started it). */
  'project-opened': [project: string];
  'proxy-started': [project: string, port: number];
  'proxy-stopped': [project: string, reason: string];
  'proxy-error': [project: string, error: ProjectError];
  /** A keyless request from a peer not proven to be this account went without the key. */
  'key-withheld': [project: string, peer: KeyWithheld];
  /** Finished requests, batched (at most one batch per throttle interval). */
  request: [requests: ProjectRequest[]];
  /** Something in snapshot() changed; throttled. */
  'state-changed': [];
  /**
   * A failure no user action explains (a bug), with its stack, for the log; emitted once per
   * failure. What the user sees of it (a project in error) comes through the other events.
   */
  'internal-error': [error: unknown, where: string];
}

export type { ProjectState };
