// The shape each client module (continue, claude, junie, codex) implements. A module is pure: given
// the project, its port and the current text of the files it owns, it says what each file should
// become and what the user should know. Reading, writing, backups and git are client-setup.ts's.
import type { SetupClientId } from '../../../shared/client-setup';

export interface ClientContext {
  /** Absolute project folder. */
  project: string;
  port: number;
  /** The host a client dials for the proxies (127.0.0.1 unless the user binds elsewhere). */
  host: string;
  /** The user's home folder (for per-user files such as ~/.continue/.env). */
  home: string;
  /** The model as LiteLLM names it, when the user gave one. */
  model?: string;
  /** A shell command that prints the local client token (`interceptor token`), quoted for /bin/sh. */
  tokenCommand: string;
  /** The same command as an argv (for clients that run it without a shell: Codex). */
  tokenArgv: readonly string[];
  /** The shared port: one URL for every project (user-level clients are pointed at it). */
  sharedPort: number;
  /** Codex's config folder ($CODEX_HOME, default ~/.codex). */
  codexHome: string;
  /** The local client token itself, for the one client that can only read it from a file (Continue). */
  clientToken(): string;
}

/** What a module wants one file to become. */
export type FilePlan =
  | {
      file: string;
      scope: 'project' | 'user';
      after: string;
      notes?: string[];
      /** The text as a diff may show it (secrets shortened). */
      redact?: (text: string) => string;
      /** Holds a secret: written mode 0600 whatever mode it had. */
      secret?: boolean;
      /** Shared with other setups (a token line every Continue setup needs): undo leaves it. */
      keepOnUndo?: boolean;
    }
  | { file: string; scope: 'project' | 'user'; problem: string };

export interface ClientModule {
  id: SetupClientId;
  /** false: nothing can be written per project (notes() says why). */
  supported: boolean;
  /** The files this client reads per project (and per user), for reading before plan(). */
  files(ctx: ClientContext): Array<{ file: string; scope: 'project' | 'user' }>;
  /** `read` answers a file's current text, or null when it does not exist. */
  plan(ctx: ClientContext, read: (file: string) => string | null): FilePlan[];
  /** Notes that hold whatever the files say (how to start the client, what setup does not do). */
  notes(ctx: ClientContext): string[];
  /** The ports this client's files point at (for `setup --check`), from their current text. */
  portsIn(ctx: ClientContext, read: (file: string) => string | null): Array<{ file: string; port: number }>;
}

/** Placeholder written when no model is known yet; the preview says to replace it. */
export const MODEL_PLACEHOLDER = 'MODEL_NAME';

/** The environment variable the project files name for the local client token. */
export const TOKEN_VARIABLE = 'INTERCEPTOR_CLIENT_TOKEN';

export function proxyRoot(ctx: ClientContext): string {
  return `http://${ctx.host}:${ctx.port}`;
}

/** The shared port's root: the one URL for every project. */
export function sharedRoot(ctx: ClientContext): string {
  return `http://${ctx.host}:${ctx.sharedPort}`;
}
