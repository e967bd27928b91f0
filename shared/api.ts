// The UI ↔ main API contract (see DESIGN.md). One method table drives every transport: Electron IPC
// (preload + ipcMain) and the web dashboard (HTTP + SSE). Each method takes one plain-JSON argument
// object or none and answers an ApiResult; state is pushed on the `state` channel as an AppSnapshot.
import type { ClientId, ClientSetupPreview, ClientSetupResult, ClientUndoResult } from './client-setup';
import type { PortRange } from './port-list';
import type { SettingsUpdate } from './settings-fields';
import type { SettingsView } from './settings-view';
import type { UsageOverview, UsageTotals } from './usage';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };
export type ApiFailure = Extract<ApiResult<never>, { ok: false }>;

/** Error codes the transports themselves produce; handlers add the domain codes of core's errors. */
export const API_ERROR = {
  invalidArgument: 'INVALID_ARGUMENT',
  unknownMethod: 'UNKNOWN_METHOD',
  internal: 'INTERNAL',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
} as const;

// ---- state ---------------------------------------------------------------------------------

export type ProjectStatus = 'running' | 'stopped' | 'starting' | 'error' | 'folder-missing';

export type ProjectSource = { kind: 'jetbrains'; product: string; version?: string } | { kind: 'pinned' } | { kind: 'cli' };

export interface ProjectError {
  code: string;
  message: string;
  /** What the user can do about it, e.g. "Reassign a free port". */
  fix?: string;
}

export interface ProjectStats {
  requests: number;
  errors: number;
  bytesIn: number;
  bytesOut: number;
  /** Epoch milliseconds. */
  lastRequestAt: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ProjectState {
  /** The absolute project path: the registry key and the identity of the project everywhere. */
  project: string;
  /** Display name (the folder's base name). */
  name: string;
  port: number | null;
  status: ProjectStatus;
  error?: ProjectError;
  sources: ProjectSource[];
  stats: ProjectStats;
  /** null: not known yet (no request and no probe so far). */
  upstream: { reachable: boolean | null };
  /** What the project spent today, from the usage ledger (absent when recording is off or nothing was spent). */
  usageToday?: UsageTotals;
}

export interface RegistryState {
  file: string;
  range: PortRange;
  readOnly: boolean;
  readOnlyReason?: string;
  warnings: string[];
}

export interface DetectedIde {
  product: string;
  version?: string;
  running: boolean;
}

/** Something the engine tells the user (a port taken, a request refused the key, ...), kept until dismissed. */
export interface EngineNotice {
  /** Increases by one per new notice; what dismissNotice takes. */
  id: number;
  kind: string;
  /** The project concerned, when there is one. */
  project?: string;
  message: string;
  /** Epoch milliseconds of the latest occurrence. */
  at: number;
}

/** The LiteLLM the proxies talk to, as its answers describe it. */
export interface LiteLlmInfo {
  /** Its version, from the x-litellm-version header of the latest answer that named one; null until one did. */
  version: string | null;
  /** That version silently drops the tags Interceptor sends (LiteLLM 1.83.10 to 1.84.0-rc.1). */
  dropsClientTags: boolean;
}

/** A running JetBrains IDE as the IDE port sees it. */
export interface RunningIdeState {
  product: string;
  version?: string;
  /** The IDE's process (from its config folder's .lock). */
  pid: number;
  configDir: string;
  /** Absolute project paths, most recently activated first. */
  openProjects: string[];
  /** The project whose window is in front now; null when another window is, or focus is not followed now. */
  inFront: string | null;
  /** The project `last-focused` would give a request now; null when none. */
  lastFocused: string | null;
}

/**
 * A project the shared port attributed by its git work tree (`git-root`): it has no registry port and
 * needs none. Listed here, in memory since the engine started, with the requests it got; its spend is
 * in the usage ledger like any project's.
 */
export interface PortlessProjectState {
  /** The work tree's top folder: the project's identity everywhere (tags, ledger). */
  project: string;
  name: string;
  requests: number;
  lastRequestAt: number;
  /** The process that sent the latest request, when known. */
  lastProcess?: string;
  /** What it spent today, from the usage ledger (absent when recording is off or nothing was spent). */
  usageToday?: UsageTotals;
}

/**
 * The shared port: the one URL for every client. IDE-wide clients (AI Assistant, Copilot, ProxyAI,
 * Cline) and command-line agents (Claude Code, Codex, the Continue CLI) alike; each request goes to
 * the project it comes from.
 */
export interface IdePortState {
  port: number;
  /** What such a client is pointed at: http://127.0.0.1:<port>/v1. */
  url: string;
  status: 'running' | 'starting' | 'error' | 'stopped';
  error?: ProjectError;
  stats: ProjectStats;
  /**
   * Whether the window in front is followed: 'idle' while the port had no request for a few
   * minutes, 'unavailable' (with what to do) where the OS does not let us read it.
   */
  focus: { state: 'idle' | 'following' | 'unavailable'; message?: string };
  ides: RunningIdeState[];
  /** Projects attributed by their git work tree, which have no port; latest first. Optional for older engines. */
  portless?: PortlessProjectState[];
}

export interface AppSnapshot {
  version: string;
  /** Always present from this version on; optional so older snapshots (and fixtures) still read. */
  litellm?: LiteLlmInfo;
  projects: ProjectState[];
  /** Absent while the engine has not started it (a snapshot from an older engine). */
  idePort?: IdePortState;
  registry: RegistryState;
  detection: { enabled: boolean; ides: DetectedIde[] };
  /** The web dashboard's address (without its token), when one is running. */
  dashboardUrl?: string;
  /** Latest first, bounded; each stays until dismissed. */
  notices: EngineNotice[];
}

// ---- method arguments and results ----------------------------------------------------------

export interface ProjectArg {
  /** Absolute project path as the registry holds it. */
  project: string;
}

export type RemoveMappingArg = { project: string } | { port: number };

export interface OpenFolderArg {
  /** Absolute folder path to pin and serve. */
  path: string;
}

export interface Mapping {
  project: string;
  port: number;
}

export interface ResetResult {
  /** The copy of the registry kept before the reset (null when there was no file to keep). */
  backupPath: string | null;
  removed: number;
}

export interface HeaderPreview {
  /** Where requests go (the effective target URL). */
  target: string;
  /** For the IDE port: which project a request from an IDE would be attributed to now, and by which rule. */
  attribution?: { project: string | null; rule: string; ide?: string };
  /**
   * In the order they are sent; secrets (Authorization) are redacted and flagged. LiteLLM logs them
   * all; `toProvider` marks those it also sends on to the model provider when its
   * forward_client_headers_to_llm_api is on (every x-… header).
   */
  headers: Array<{ name: string; value: string; redacted?: boolean; toProvider?: boolean }>;
}

export interface NoticeArg {
  id: number;
}

/** The local client token clients send instead of the LiteLLM key (see `interceptor token`). */
export interface ClientTokenView {
  token: string;
  /** Where it is kept (mode 0600). */
  file: string;
}

export interface RecentRequest {
  /** Epoch milliseconds when the request arrived. */
  at: number;
  method: string;
  path: string;
  /** null while in flight or when the upstream never answered. */
  status: number | null;
  durationMs: number | null;
  model: string | null;
  streamed: boolean;
  /** Error code when the request failed in the proxy (UPSTREAM_UNREACHABLE...). */
  error?: string;
  /** LiteLLM refused the request for a reason Interceptor's headers or key can cause, and the fix. */
  problem?: { problem: string; fix: string };
  /** IDE port only: the project the request was attributed to (absent when unattributed). */
  project?: string;
  /** IDE port only: the rule that decided (cwd, git-root, single, focus, last-focused, unattributed). */
  attribution?: string;
  /** IDE port only: the short name of the process whose fact decided ("claude", "codex", "java"). */
  process?: string;
  /** IDE port only: the working folder that decided (cwd and git-root). */
  folder?: string;
}

/** Which clients of a project to set up (default: all), and the model as LiteLLM names it. */
export interface ClientSetupArg {
  project: string;
  clients?: ClientId[];
  model?: string;
}

/** Each method's argument; `undefined` for methods that take none. */
export interface ApiArgs {
  getSnapshot: undefined;
  listMappings: undefined;
  removeMapping: RemoveMappingArg;
  resetRegistry: undefined;
  startProject: ProjectArg;
  stopProject: ProjectArg;
  openProjectFolder: OpenFolderArg;
  reassignPort: ProjectArg;
  revealFolder: ProjectArg;
  getSettings: undefined;
  updateSettings: SettingsUpdate;
  previewHeaders: ProjectArg;
  getRecentRequests: ProjectArg;
  dismissNotice: NoticeArg;
  getClientToken: undefined;
  rotateClientToken: undefined;
  getUsage: undefined;
  previewClientSetup: ClientSetupArg;
  applyClientSetup: ClientSetupArg;
  undoClientSetup: ProjectArg;
  /** Rewrites the client files that point at another port than the project's (after a reassign or reset). */
  rewriteClientFiles: ProjectArg;
  previewIdePortHeaders: undefined;
  getIdePortRequests: undefined;
}

export interface ApiReturns {
  getSnapshot: AppSnapshot;
  listMappings: Mapping[];
  removeMapping: Mapping;
  resetRegistry: ResetResult;
  startProject: ProjectState;
  stopProject: ProjectState;
  openProjectFolder: ProjectState;
  /** The project's state on its new port. */
  reassignPort: ProjectState;
  revealFolder: null;
  getSettings: SettingsView;
  updateSettings: SettingsView;
  previewHeaders: HeaderPreview;
  getRecentRequests: RecentRequest[];
  dismissNotice: null;
  getClientToken: ClientTokenView;
  rotateClientToken: ClientTokenView;
  getUsage: UsageOverview;
  previewClientSetup: ClientSetupPreview;
  applyClientSetup: ClientSetupResult;
  undoClientSetup: ClientUndoResult;
  rewriteClientFiles: ClientSetupResult;
  /** What a request on the IDE port would carry now (attributed as it would be now). */
  previewIdePortHeaders: HeaderPreview;
  /** The IDE port's last requests, oldest first, each with its project and rule. */
  getIdePortRequests: RecentRequest[];
}

export type ApiMethodName = keyof ApiArgs & keyof ApiReturns;

/** The method table: every transport and the preload are generated from it. */
export const API_METHODS = {
  getSnapshot: { takesArgument: false },
  listMappings: { takesArgument: false },
  removeMapping: { takesArgument: true },
  resetRegistry: { takesArgument: false },
  startProject: { takesArgument: true },
  stopProject: { takesArgument: true },
  openProjectFolder: { takesArgument: true },
  reassignPort: { takesArgument: true },
  revealFolder: { takesArgument: true },
  getSettings: { takesArgument: false },
  updateSettings: { takesArgument: true },
  previewHeaders: { takesArgument: true },
  getRecentRequests: { takesArgument: true },
  dismissNotice: { takesArgument: true },
  getClientToken: { takesArgument: false },
  rotateClientToken: { takesArgument: false },
  getUsage: { takesArgument: false },
  previewClientSetup: { takesArgument: true },
  applyClientSetup: { takesArgument: true },
  undoClientSetup: { takesArgument: true },
  rewriteClientFiles: { takesArgument: true },
  previewIdePortHeaders: { takesArgument: false },
  getIdePortRequests: { takesArgument: false },
} as const satisfies { [M in ApiMethodName]: { takesArgument: ApiArgs[M] extends undefined ? false : true } };

export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethodName[];

export function isApiMethodName(name: unknown): name is ApiMethodName {
  return typeof name === 'string' && Object.hasOwn(API_METHODS, name);
}

/** What the page calls: one function per method, plus the state subscription. */
export type InterceptorApi = {
  [M in ApiMethodName]: ApiArgs[M] extends undefined
    ? () => Promise<ApiResult<ApiReturns[M]>>
    : (arg: ApiArgs[M]) => Promise<ApiResult<ApiReturns[M]>>;
} & {
  /** Calls the listener with each new snapshot; returns the unsubscribe function. */
  onState(listener: (snapshot: AppSnapshot) => void): () => void;
};

// ---- transports ----------------------------------------------------------------------------

/** The push channel name (IPC channel and SSE event name). */
export const STATE_CHANNEL = 'state';

/** Electron IPC: one invoke channel per method. */
export function ipcChannel(method: ApiMethodName): string {
  return `interceptor:${method}`;
}
export const IPC_STATE_CHANNEL = `interceptor:${STATE_CHANNEL}`;

/**
 * Web dashboard over HTTP (headless mode). The page is opened once with `/?token=…`; the server
 * answers with an HttpOnly SameSite=Strict cookie and a redirect to `/`, and writes the token into
 * `<meta name="interceptor-token" content="…">` of every page it serves.
 * - call:  POST /api/<method>, content-type application/json, header x-interceptor-token: <token>,
 *          body = the argument as JSON (empty or `null` for methods without one); the answer is
 *          always an ApiResult as JSON (HTTP 200 for handled calls, 404 for an unknown method,
 *          401/403/413/415/400 when the transport refuses the request before any handler runs).
 * - state: GET /api/events (EventSource; the cookie authenticates it): `event: state` frames whose
 *          data is an AppSnapshot, the current one first, then on each change (at most ~10/s).
 */
export const DASHBOARD = {
  apiPrefix: '/api/',
  eventsPath: '/api/events',
  tokenHeader: 'x-interceptor-token',
  tokenQuery: 'token',
  tokenMeta: 'interceptor-token',
  maxBodyBytes: 64 * 1024,
} as const;
