// What `interceptor setup` and the window's "Set up clients…" dialog show and send: which AI clients
// Interceptor can configure inside a project folder, the preview of each file it would change, and
// what applying or undoing did. Core (electron/core/clients/) builds these; every front end renders them.

export const CLIENT_IDS = ['continue', 'claude', 'junie', 'codex'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export const CLIENT_LABELS: Record<ClientId, string> = {
  continue: 'Continue',
  claude: 'Claude Code',
  junie: 'Junie CLI',
  codex: 'Codex CLI',
};

export function isClientId(value: unknown): value is ClientId {
  return typeof value === 'string' && (CLIENT_IDS as readonly string[]).includes(value);
}

/**
 * Clients whose own config is per user, pointed at the shared port (one URL for every project, each
 * request attributed to the project the client works in). Written only when named: they change
 * what the client does in every folder.
 */
export const USER_LEVEL_CLIENT_IDS = ['codex', 'continue-cli'] as const;
export type UserLevelClientId = (typeof USER_LEVEL_CLIENT_IDS)[number];

export const USER_LEVEL_LABELS: Record<UserLevelClientId, string> = {
  codex: 'Codex CLI (user config)',
  'continue-cli': 'Continue CLI (user config)',
};

export function isUserLevelClientId(value: unknown): value is UserLevelClientId {
  return typeof value === 'string' && (USER_LEVEL_CLIENT_IDS as readonly string[]).includes(value);
}

/** Any client a setup plan can name. */
export type SetupClientId = ClientId | UserLevelClientId;

/** The longest model name a setup request may carry (LiteLLM names are short; this only bounds input). */
export const MAX_MODEL_NAME_LENGTH = 200;

/** A model name as LiteLLM knows it: printable, no quotes or line breaks that could break a config file. */
export function isModelName(value: string): boolean {
  return value.length > 0 && value.length <= MAX_MODEL_NAME_LENGTH && /^[\w.:/@+-]+$/.test(value);
}

export type ClientFileAction = 'create' | 'update' | 'unchanged' | 'blocked';

export interface ClientFileChange {
  client: SetupClientId;
  /** Absolute path of the file. */
  file: string;
  /** The path as a user reads it: relative to the project, or ~/… for a file in the home folder. */
  shown: string;
  /** project: inside the project folder; user: a per-user file outside it (shared by all projects). */
  scope: 'project' | 'user';
  action: ClientFileAction;
  /** Unified diff from the current content to the new one, secrets redacted; '' when nothing changes. */
  diff: string;
  /** Why the file is left untouched (it cannot be parsed or written); only with action 'blocked'. */
  problem?: string;
}

export interface ClientPlanView {
  client: SetupClientId;
  label: string;
  /** false: the client cannot be configured per project (the notes say why and what to do instead). */
  supported: boolean;
  /** Its user-level config, pointed at the shared port (the same for every project). */
  userLevel?: boolean;
  /** What the user should know: where the key comes from, how to start the client, what is not done. */
  notes: string[];
  files: ClientFileChange[];
}

export interface GitExcludeView {
  /** The exclude file written (`<git dir>/info/exclude`), or null when the project is not in a git work tree. */
  file: string | null;
  /** Patterns to add (already excluded or ignored paths are left out). */
  add: string[];
  /** One line for the preview: what is done about git and why. */
  note: string;
}

export interface ClientSetupPreview {
  project: string;
  port: number;
  clients: ClientPlanView[];
  gitExclude: GitExcludeView;
  /** A previous setup of this project can be undone. */
  undoable: boolean;
}

export interface ClientSetupResult {
  project: string;
  port: number;
  /** Files written (absolute paths). */
  written: string[];
  /** Files left as they were, and why (blocked, or changed since the preview). */
  skipped: Array<{ file: string; reason: string }>;
  /** Patterns added to .git/info/exclude. */
  excluded: string[];
  /** What the user should know, per client (the preview's notes). */
  notes: string[];
}

export interface ClientUndoResult {
  project: string;
  /** Files put back to their content before the first setup. */
  restored: string[];
  /** Files setup had created, removed again. */
  removed: string[];
  /** Files left alone, and why (edited since setup). */
  kept: Array<{ file: string; reason: string }>;
  /** Patterns taken out of .git/info/exclude again. */
  unexcluded: string[];
}

/** A client file that points at a port that is not the project's. */
export interface StaleClientFile {
  client: ClientId;
  file: string;
  /** The port the file points at. */
  port: number;
}
